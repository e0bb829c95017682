using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Cli;

/// <summary><c>resilink watch</c>, the built CLI run as a process against a <c>resilink listen</c> process.</summary>
public sealed class WatchCommandEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Watch_ListeningPeer_PrintsARowPerConnectionAndExits0AfterTheDuration()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var listen = CliProcess.Start("listen");
        var line = await listen.WaitForLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), deadline.Token);
        var address = line["listening on ".Length..].Trim();
        await using var watch = CliProcess.Start("watch", address, "--connections", "3", "--interval", "0.5", "--duration", "3");

        var code = await watch.WaitForExitAsync(deadline.Token);

        Assert.True(code == 0, watch.Output);
        // Not a terminal: plain lines, one per connection per report, each with its status and RTT.
        var rows = watch.StandardOutput.Split('\n')
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal) && l.Contains(" rtt_p50=", StringComparison.Ordinal))
            .ToList();
        var connections = rows.Select(r => r.Trim().Split(' ')[1]).ToHashSet(StringComparer.Ordinal);
        Assert.True(connections.Count == 3, watch.Output);
        Assert.Contains(rows, r => r.Contains(" Healthy ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watch_NotAMultiaddr_Exits2()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var watch = CliProcess.Start("watch", "127.0.0.1:4001");

        Assert.Equal(2, await watch.WaitForExitAsync(deadline.Token));
        Assert.StartsWith("resilink watch: ", watch.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--interval", "0.0005")]
    [InlineData("--ping-timeout", "0.0001")]
    public async Task Watch_PeriodBelowAMillisecond_Exits2WithOneLineNamingIt(string option, string value)
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var watch = CliProcess.Start("watch", "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN", option, value);

        Assert.Equal(2, await watch.WaitForExitAsync(deadline.Token));
        var error = Assert.Single(watch.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("resilink watch: ", StringComparison.Ordinal));
        Assert.Contains(option, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_NoPeerId_Exits2WithOneLine()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var watch = CliProcess.Start("watch", "/ip4/127.0.0.1/tcp/4001");

        Assert.Equal(2, await watch.WaitForExitAsync(deadline.Token));
        Assert.Contains("/p2p/", Assert.Single(watch.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_NobodyListening_Exits1WithOneLine()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var listen = CliProcess.Start("listen");
        var line = await listen.WaitForLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), deadline.Token);
        var peer = line[(line.IndexOf("/p2p/", StringComparison.Ordinal) + 5)..].Trim();
        await using var watch = CliProcess.Start("watch", $"/ip4/127.0.0.1/tcp/1/p2p/{peer}");

        Assert.Equal(1, await watch.WaitForExitAsync(deadline.Token));
        Assert.StartsWith("resilink watch: cannot reach ", Assert.Single(watch.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }
}
