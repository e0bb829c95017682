using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Cli;

// How the daemon prints connection status changes: once each, and a clean stop is a close, not a death.
public sealed partial class DaemonCommandEndToEndTests
{
    [Fact]
    public async Task Daemon_SigtermWithHealthyConnections_PrintsEachChangeOnceAndClosedNotDead()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var listener = CliProcess.Start("listen");
        string listenLine = await listener.WaitForLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), deadline.Token);
        string peerAddress = listenLine["listening on ".Length..];
        await using var daemon = CliProcess.Start(
            "daemon", "--no-history", "--http", "127.0.0.1:0", "--health-interval", "0.2", "--connections", "2", "--peer", peerAddress);
        for (int i = 0; i < 2; i++)
        {
            await daemon.WaitForLineAsync(l => l.StartsWith("health ", StringComparison.Ordinal) && l.Contains("-> Healthy", StringComparison.Ordinal), deadline.Token);
        }

        daemon.Terminate();

        int exitCode = await ExitCodeAsync(daemon, deadline.Token);
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{daemon.Output}");
        string[] lines = daemon.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.DoesNotContain(lines, l => l.Contains("Dead", StringComparison.Ordinal)); // no status, no alert
        Assert.DoesNotContain(lines, l => l.Contains("Info -> Info", StringComparison.Ordinal));
        string[] changes = [.. lines.Where(l => l.Contains(" -> ", StringComparison.Ordinal) && l.Contains("(score ", StringComparison.Ordinal))];
        Assert.All(changes, l => Assert.StartsWith("health ", l, StringComparison.Ordinal)); // the monitor's own log line is not printed too
        Assert.Equal(changes.Length, changes.Distinct().Count());
        Assert.Equal(2, changes.Count(l => l.Contains("Healthy -> Closed", StringComparison.Ordinal)));
    }
}
