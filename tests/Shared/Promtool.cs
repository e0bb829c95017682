using System.Diagnostics;
using System.Text;

namespace Resilink.Tests.Shared;

/// <summary>Runs the real <c>promtool check metrics</c> (Debian package <c>prometheus</c>) on exposition text.</summary>
internal static class Promtool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>What promtool said: exit code 0 and no output means parsed and lint-clean.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public bool IsClean => ExitCode == 0 && StandardOutput.Trim().Length == 0 && StandardError.Trim().Length == 0;

        public override string ToString() => $"exit code {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
    }

    /// <summary>Fails the test unless promtool parses <paramref name="exposition"/> and reports no lint problem.</summary>
    public static async Task AssertCleanAsync(string exposition)
    {
        Result result = await CheckMetricsAsync(exposition);
        Assert.True(result.IsClean, $"promtool check metrics complained:\n{result}\n--- exposition ---\n{exposition}");
    }

    /// <summary>Pipes <paramref name="exposition"/> into <c>promtool check metrics</c>.</summary>
    public static async Task<Result> CheckMetricsAsync(string exposition)
    {
        var start = new ProcessStartInfo(Locate(), ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();

        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"promtool check metrics did not finish within {Timeout}.");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    // A missing promtool must fail, not skip: a skipped check would let broken expositions through CI unnoticed.
    private static string Locate()
    {
        string? path = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "promtool"))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            Assert.Fail(
                "promtool is not on PATH. It comes with the Debian package 'prometheus', which ./test.sh installs " +
                "(or run: apt-get update && apt-get install -y prometheus).");
        }

        return path;
    }
}
