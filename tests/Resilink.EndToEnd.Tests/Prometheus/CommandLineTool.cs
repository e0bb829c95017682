using System.Diagnostics;
using Resilink.EndToEnd.Tests.Support;

namespace Resilink.EndToEnd.Tests.Prometheus;

/// <summary>Runs a command-line tool from a Debian package (promtool, amtool) to completion and keeps what it printed.</summary>
internal static class CommandLineTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>What the tool said.</summary>
    public sealed record Result(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
    {
        public string Output => StandardOutput + StandardError;

        public override string ToString() =>
            $"{CommandLine}\nexit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
    }

    /// <summary>Runs <paramref name="tool"/> (found on PATH; missing fails the test) in <paramref name="workingDirectory"/>.</summary>
    public static async Task<Result> RunAsync(string tool, string debianPackage, IReadOnlyList<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(ExternalServer.Locate(tool, debianPackage), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        string commandLine = $"{tool} {string.Join(' ', arguments)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();

        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{commandLine} did not finish within {Timeout}.");
        }

        return new Result(commandLine, process.ExitCode, await stdout, await stderr);
    }
}
