using System.Collections.Concurrent;
using Resilink.Interop.Tests.Support;
using Resilink.Net.Addressing;
using Resilink.Net.Identity;

namespace Resilink.Interop.Tests;

/// <summary>
/// Inlined muxer negotiation with js-libp2p: both sides list /yamux/1.0.0 in the Noise handshake, so neither runs
/// the muxer multistream-select round. Proven from our side (UsedEarlyMuxerNegotiation) and from js-libp2p's own
/// upgrader debug log (it logs "create muxer" either way, but "selecting muxer"/"handling muxers" only when it
/// falls back to multistream-select).
/// </summary>
public sealed class EarlyMuxerInteropTests
{
    private readonly CancellationToken _ct = new CancellationTokenSource(InteropHelpers.TestTimeout).Token;

    private static async Task<(JsPeer Js, ConcurrentQueue<string> Log)> StartLoggingPeerAsync(CancellationToken ct)
    {
        var log = new ConcurrentQueue<string>();
        var js = await JsPeer.StartAsync(
            new JsPeerOptions
            {
                Name = "js-early",
                Environment = new Dictionary<string, string> { ["DEBUG"] = "libp2p:tcp:connection*" },
                StderrLine = log.Enqueue,
            },
            ct);
        return (js, log);
    }

    private static async Task AssertJsUsedEarlyNegotiationAsync(ConcurrentQueue<string> log, CancellationToken ct)
    {
        while (!log.Any(l => l.Contains("create muxer /yamux/1.0.0", StringComparison.Ordinal)))
        {
            await Task.Delay(50, ct);
        }
        Assert.DoesNotContain(log, l => l.Contains("selecting muxer", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains("handling muxers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WeDialJs_MuxerChosenInNoiseHandshake_OnBothSides()
    {
        var (js, log) = await StartLoggingPeerAsync(_ct);
        await using (js)
        {
            await using var host = await InteropHelpers.StartHostAsync(_ct);
            var connection = await host.DialAsync(Multiaddr.Parse(js.Addresses[0]), _ct);

            Assert.True(connection.UsedEarlyMuxerNegotiation);
            Assert.True(await connection.PingAsync(_ct) > TimeSpan.Zero);
            await AssertJsUsedEarlyNegotiationAsync(log, _ct);
        }
    }

    [Fact]
    public async Task JsDialsUs_MuxerChosenInNoiseHandshake_OnBothSides()
    {
        var (js, log) = await StartLoggingPeerAsync(_ct);
        await using (js)
        {
            await using var host = await InteropHelpers.StartHostAsync(_ct);
            var opened = new TaskCompletionSource<Net.Swarm.Libp2pConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
            host.ConnectionOpened += (_, e) => opened.TrySetResult(e.Connection);

            var reply = await js.SendAsync("ping", new { addr = InteropHelpers.AddressOf(host), count = 2 }, _ct);

            Assert.Equal(2, reply.GetProperty("rtts").GetArrayLength());
            var inbound = await opened.Task.WaitAsync(_ct);
            Assert.Equal(PeerId.Parse(js.PeerId), inbound.RemotePeer);
            Assert.True(inbound.UsedEarlyMuxerNegotiation);
            await AssertJsUsedEarlyNegotiationAsync(log, _ct);
        }
    }
}
