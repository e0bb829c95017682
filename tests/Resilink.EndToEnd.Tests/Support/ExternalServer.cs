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
            $"'{tool}' is not on PATH. It comes from the Debian package '{debianPackage}', which ./test.sh installs (apt-get install -y {debianPackage}).");
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="tool"/> and waits until <paramref name="readyUrl"/> answers 200.</summary>
    public static Task<ExternalServer> StartAsync(
        string tool, string debianPackage, IEnumerable<string> arguments, Uri readyUrl, TimeSpan timeout, CancellationToken cancellationToken) =>
        StartAsync(tool, debianPackage, arguments, ct => AnswersOkAsync(readyUrl, ct), readyUrl.ToString(), timeout, cancellationToken);

    /// <summary>
    /// Starts <paramref name="tool"/> and waits until <paramref name="isReady"/> returns true (it is called every 100 ms;
    /// an <see cref="IOException"/>, <see cref="SocketException"/> or <see cref="HttpRequestException"/> counts as not yet).
    /// </summary>
    public static async Task<ExternalServer> StartAsync(
        string tool,
        string debianPackage,
        IEnumerable<string> arguments,
        Func<CancellationToken, Task<bool>> isReady,
        string readyDescription,
        TimeSpan timeout,
        CancellationToken cancellationToken)
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
            await server.WaitUntilReadyAsync(isReady, readyDescription, timeout, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Gets whether the process has exited (killed, crashed).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Kills the process at once (SIGKILL: no shutdown, no goodbye to its clients) and waits for it to exit.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static async Task<bool> AnswersOkAsync(Uri url, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var response = await http.GetAsync(url, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    private async Task WaitUntilReadyAsync(
        Func<CancellationToken, Task<bool>> isReady, string readyDescription, TimeSpan timeout, CancellationToken cancellationToken)
    {
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
                if (await isReady(deadline.Token))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                // One probe timed out; try again.
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw Timeout();
            }

            try
            {
                // Polls a server that is starting up; the deadline bounds it.
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw Timeout();
            }
        }

        TimeoutException Timeout() =>
            new($"{_process.StartInfo.FileName} was not ready ({readyDescription}) within {timeout}:\n{Output}");
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
