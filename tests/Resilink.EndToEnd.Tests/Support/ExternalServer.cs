using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Resilink.EndToEnd.Tests.Support;

/// <summary>
/// A real server from a Debian package (prometheus, prometheus-alertmanager, …) started for one test on 127.0.0.1,
/// ready once its readiness URL answers 200, killed on dispose. Its output is kept (bounded) for failure messages.
/// </summary>
internal sealed class ExternalServer : IAsyncDisposable
{
    private const int MaxOutputChars = 64 * 1024;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ExternalServer(Process process)
    {
        _process = process;
    }

    /// <summary>Gets what the server printed so far (the last 64 KiB).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Finds <paramref name="tool"/> on PATH; a missing tool fails the test (never skips it) and says who installs it.</summary>
    public static string Locate(string tool, string debianPackage)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"'{tool}' is not on PATH. It comes from the Debian package '{debianPackage}', which .ci/run installs (apt-get install -y {debianPackage}).");
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="tool"/> and waits until <paramref name="readyUrl"/> answers 200.</summary>
    public static async Task<ExternalServer> StartAsync(
        string tool, string debianPackage, IEnumerable<string> arguments, Uri readyUrl, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Locate(tool, debianPackage), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var server = new ExternalServer(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(readyUrl, timeout, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(Uri readyUrl, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using (var response = await http.GetAsync(readyUrl, deadline.Token))
                {
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }

                // Polls a server that is starting up; the deadline bounds it.
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                // One probe timed out; try again.
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{_process.StartInfo.FileName} was not ready at {readyUrl} within {timeout}:\n{Output}");
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > MaxOutputChars)
            {
                _output.Remove(0, _output.Length - MaxOutputChars);
            }
        }
    }
}
