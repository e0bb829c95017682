using System.Text.Json;
using Resilink.Interop.Tests.Support;
using Xunit.Abstractions;

namespace Resilink.Interop.Tests;

/// <summary>Proves the JsPeer harness with two real js-libp2p processes (no Resilink stack involved).</summary>
public sealed class JsPeerSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoJsPeers_PingAndEcho64KiB_Succeed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        var startA = JsPeer.StartAsync(new JsPeerOptions { Name = "A", StderrLine = output.WriteLine }, ct);
        var startB = JsPeer.StartAsync(new JsPeerOptions { Name = "B", StderrLine = output.WriteLine }, ct);
        await using var a = await startA;
        await using var b = await startB;

        Assert.StartsWith("12D3KooW", a.PeerId, StringComparison.Ordinal);
        Assert.NotEqual(a.PeerId, b.PeerId);
        Assert.Contains(b.Addresses, addr => addr.EndsWith("/p2p/" + b.PeerId, StringComparison.Ordinal));
        Assert.Contains("/echo/1.0.0", b.Protocols);

        var ping = await a.SendAsync("ping", new { addr = b.Addresses[0], count = 3 }, ct);
        var rtts = ping.GetProperty("rtts").EnumerateArray().Select(r => r.GetDouble()).ToArray();
        Assert.Equal(3, rtts.Length);
        output.WriteLine($"ping rtts: {string.Join(", ", rtts)} ms");

        var echo = await a.SendAsync("echo", new { peer = b.PeerId, size = 64 * 1024 }, ct);
        Assert.True(echo.GetProperty("ok").GetBoolean());
        Assert.Equal(64 * 1024, echo.GetProperty("bytes").GetInt32());

        var opened = await b.WaitForEventAsync("connection:open", a.PeerId, TimeSpan.FromSeconds(10), ct);
        Assert.Equal("inbound", opened.GetProperty("direction").GetString());

        var identify = await a.SendAsync("identify", new { peer = b.PeerId }, ct);
        Assert.Contains(
            identify.GetProperty("protocols").EnumerateArray().Select(p => p.GetString()),
            p => p == "/resilink/sink/1.0.0");

        var failure = await Assert.ThrowsAsync<JsPeerCommandException>(
            () => a.SendAsync("no-such-command", null, ct));
        Assert.Contains("unknown command", failure.RemoteError, StringComparison.Ordinal);

        Assert.DoesNotContain(a.EventLog.Concat(b.EventLog), e => e.GetProperty("event").GetString() == "error");
        output.WriteLine("events A: " + JsonSerializer.Serialize(a.EventLog));
    }
}
