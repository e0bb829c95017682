using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Resilink.Interop.Tests.Support;

/// <summary>Runs the built <c>resilink</c> CLI as a child process and collects its output line by line.</summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _all = new();

    private CliProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Everything printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_all)
            {
                return _all.ToString();
            }
        }
    }

    /// <summary>The CLI's assembly, built by the project reference in the same configuration as these tests.</summary>
    public static string CliAssembly
    {
        get
        {
            var testOutput = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)); // bin/<Configuration>/net10.0
            var configuration = testOutput.Parent!.Name;
            return Path.Combine(JsPeer.RepoRoot, "src", "Resilink.Cli", "bin", configuration, "net10.0", "resilink.dll");
        }
    }

    public static CliProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the resilink CLI.");
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => cli.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Waits for the first line that satisfies <paramref name="predicate"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, CancellationToken cancellationToken)
    {
        await foreach (var line in _lines.Reader.ReadAllAsync(cancellationToken))
        {
            if (predicate(line))
            {
                return line;
            }
        }
        throw new InvalidOperationException($"resilink exited without printing the expected line. Output:\n{Output}");
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _lines.Writer.TryComplete();
            return;
        }
        lock (_all)
        {
            _all.AppendLine(line);
        }
        _lines.Writer.TryWrite(line);
    }
}
