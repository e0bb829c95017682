using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;

namespace Resilink.TestSupport;

/// <summary>
/// Runs the built <c>resilink</c> CLI as a child process and collects its output line by line. Shared by the test
/// projects that run the CLI (compiled into each, see their .csproj); each of them builds the CLI first with a
/// <c>ProjectReference</c> to it that does not reference its assembly.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private const int SignalInterrupt = 2; // SIGINT on Linux and macOS
    private const int SignalTerminate = 15; // SIGTERM on Linux and macOS

    private static readonly Lazy<string> RepositoryRoot = new(FindRepositoryRoot);

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _all = new();
    private readonly StringBuilder _standardError = new();
    private readonly StringBuilder _standardOutput = new();
    private int _openStreams = 2;

    private CliProcess(Process process, string dataHome)
    {
        _process = process;
        DataHome = dataHome;
    }

    /// <summary>
    /// The process's own per-user data folder (its <c>XDG_DATA_HOME</c>, a new temporary folder deleted on dispose): what
    /// a command keeps there by default (the daemon's key and history) never lands in the real home folder, nor is it
    /// shared with another test's process.
    /// </summary>
    public string DataHome { get; }

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

    /// <summary>The process ID (the CLI's own: the dotnet muxer runs it in its process), e.g. for its CPU time in /proc.</summary>
    public int Id => _process.Id;

    /// <summary>What was printed to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_all)
            {
                return _standardError.ToString();
            }
        }
    }

    /// <summary>What was printed to stdout so far (a command's machine-readable output, without stderr's progress lines).</summary>
    public string StandardOutput
    {
        get
        {
            lock (_all)
            {
                return _standardOutput.ToString();
            }
        }
    }

    /// <summary>The CLI's assembly, built by the project reference in the same configuration as these tests.</summary>
    public static string CliAssembly => ProjectAssembly(Path.Combine("src", "Resilink.Cli"), "resilink");

    public static CliProcess Start(params string[] arguments)
    {
        if (!File.Exists(CliAssembly))
        {
            throw new InvalidOperationException($"The resilink CLI is not built at {CliAssembly}; the test project's reference to src/Resilink.Cli builds it.");
        }
        return StartAssembly(CliAssembly, workingDirectory: null, arguments);
    }

    /// <summary>The built assembly of a project under the repository (e.g. <c>samples/X/X.csproj</c> → its <c>X.dll</c>), in the tests' configuration.</summary>
    public static string ProjectAssembly(string projectDirectory, string assemblyName)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        return Path.Combine(RepositoryRoot.Value, projectDirectory, "bin", configuration, "net10.0", assemblyName + ".dll");
    }

    /// <summary>A project's folder under the repository: the content root <c>dotnet run</c> gives it (its appsettings.json).</summary>
    public static string ProjectDirectory(string projectDirectory) => Path.Combine(RepositoryRoot.Value, projectDirectory);

    /// <summary>Runs any built .NET assembly (a sample app, say) with <c>dotnet</c>, collecting its output like the CLI's.</summary>
    public static CliProcess StartAssembly(string assembly, string? workingDirectory, params string[] arguments)
    {
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{assembly} is not built; a ProjectReference from the test project builds it.");
        }
        return StartExecutable("dotnet", workingDirectory, [assembly, .. arguments]);
    }

    /// <summary>Runs any program (an installed .NET tool's command, <c>dotnet</c> itself), collecting its output like the CLI's.</summary>
    public static CliProcess StartExecutable(string executable, string? workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true, // an open pipe nobody writes to unless a test does (WriteLineAsync)
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        var dataHome = Directory.CreateTempSubdirectory("resilink-data-home-").FullName;
        start.Environment["XDG_DATA_HOME"] = dataHome;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var cli = new CliProcess(process, dataHome);
        process.OutputDataReceived += (_, e) => cli.OnLine(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => cli.OnLine(e.Data, error: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Waits for the first line not seen by an earlier wait that satisfies <paramref name="predicate"/>.</summary>
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

    /// <summary>Writes one line to the process's standard input.</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the process to exit and for all its output, and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGINT, what Ctrl+C in a terminal sends (Linux and macOS).</summary>
    public void Interrupt() => Signal(SignalInterrupt, "SIGINT");

    /// <summary>Sends SIGTERM, what service managers and <c>kill</c> send to stop a process (Linux and macOS).</summary>
    public void Terminate() => Signal(SignalTerminate, "SIGTERM");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(DataHome, recursive: true);
        }
        catch (IOException)
        {
            // A grandchild still writing there: the temp folder's cleanup gets it later.
        }
    }

    private void Signal(int signal, string name)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException($"CliProcess sends POSIX signals; {name} does not exist on Windows.");
        }
        // A process started with a signal ignored keeps ignoring it (a background job of a non-interactive shell
        // ignores SIGINT, and so do its children); say so rather than wait for an exit that never comes.
        string status = $"/proc/{_process.Id}/status";
        if (File.Exists(status) &&
            File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } ignored &&
            ((ulong.Parse(ignored["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) >> (signal - 1)) & 1) == 1)
        {
            throw new InvalidOperationException(
                $"resilink (pid {_process.Id}) ignores {name}: it inherited that from the test run. Run the tests from a foreground shell.");
        }
        // The dotnet muxer runs the CLI in its own process, so this is the CLI's pid.
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {name}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    // DllImport rather than LibraryImport, whose generated code needs AllowUnsafeBlocks in every project that links this file.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Resilink.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No folder containing Resilink.slnx above {AppContext.BaseDirectory}.");
    }

    private void OnLine(string? line, bool error)
    {
        if (line is null)
        {
            // Each stream ends with a null; the lines end when both have.
            if (Interlocked.Decrement(ref _openStreams) == 0)
            {
                _lines.Writer.TryComplete();
            }
            return;
        }
        lock (_all)
        {
            _all.AppendLine(line);
            (error ? _standardError : _standardOutput).AppendLine(line);
        }
        _lines.Writer.TryWrite(line);
    }
}
