using Microsoft.Extensions.Logging;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Resilience;
using Resilink.Tests.Shared;

namespace Resilink.Net.Tests.Host;

/// <summary>What the host logs for things a peer or the network does: quiet (Debug) for the expected, one line for the rest.</summary>
public sealed class HostLoggingTests : IAsyncDisposable
{
    private const string HoldProtocol = "/test/hold/1.0.0";

    private readonly HostFixtures _fixtures = new();

    [Fact]
    public async Task ServeStream_PeerResetsTheStream_OneDebugLineWithoutExceptionAndNothingAtWarning()
    {
        using var logs = new CapturingLoggerFactory();
        var server = await _fixtures.StartHostAsync(loggerFactory: logs);
        var handlerReading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.SetStreamHandler(HoldProtocol, async (stream, ct) =>
        {
            handlerReading.TrySetResult();
            await stream.ReadExactlyAsync(new byte[1], ct); // the reset ends this read with an exception
        });
        var client = await _fixtures.StartHostAsync();
        var connection = await _fixtures.ConnectAsync(client, server);

        var stream = await connection.NewStreamAsync([HoldProtocol], _fixtures.Token);
        await handlerReading.Task.WaitAsync(_fixtures.Token);
        stream.Reset();

        await Poll.UntilAsync(() => logs.Count("ended by a reset") > 0, TimeSpan.FromMilliseconds(20), logs.Describe, _fixtures.Token);
        var reset = Assert.Single(logs.Logger.Entries, e => e.Message.Contains("ended by a reset", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, reset.Level);
        Assert.Null(reset.Exception);
        Assert.Contains(HoldProtocol, reset.Message, StringComparison.Ordinal);
        Assert.Contains("reset by the remote peer", reset.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task DialPeerAsync_ClosedPort_OneInformationLinePerRetryAndNoExceptionAtInformationOrAbove()
    {
        using var logs = new CapturingLoggerFactory();
        var dialer = await _fixtures.StartHostAsync(
            new Libp2pHostOptions { Connections = { MaxConnectionsPerPeer = 1, Retry = { MaxRetries = 3, InitialDelay = TimeSpan.FromMilliseconds(5) } } },
            loggerFactory: logs);
        var absent = await _fixtures.StartHostAsync(); // only for a real peer ID; nothing listens on the port dialed
        var address = Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{HostFixtures.ClosedPort()}/p2p/{absent.PeerId}");

        await Assert.ThrowsAsync<RetryExhaustedException>(() => dialer.DialPeerAsync(address, _fixtures.Token));

        var retries = logs.Logger.Entries.Where(e => e.Level == LogLevel.Information && e.Message.Contains("attempt", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, retries.Count); // attempts 1-3 are retried; the 4th is the caller's exception
        for (int i = 0; i < retries.Count; i++)
        {
            Assert.StartsWith($"Dialing {address}: attempt {i + 1} of 4 failed, retrying in ", retries[i].Message, StringComparison.Ordinal);
            Assert.Contains("Connection refused", retries[i].Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', retries[i].Message);
        }
        Assert.All(logs.Logger.Entries.Where(e => e.Level >= LogLevel.Information), e => Assert.Null(e.Exception));
        Assert.Equal(3, logs.Logger.Entries.Count(e => e.Level == LogLevel.Debug && e.Exception is not null && e.Message.Contains("attempt", StringComparison.Ordinal)));
    }

    public ValueTask DisposeAsync() => _fixtures.DisposeAsync();
}
