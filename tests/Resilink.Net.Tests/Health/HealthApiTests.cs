using Resilink.Health;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Net.Protocols.Echo;
using Resilink.Net.Tests.Host;
using Resilink.Net.Tests.TestSupport;

namespace Resilink.Net.Tests.Health;

/// <summary>The host's health API with monitoring off (the default) and its option checks.</summary>
public sealed class HealthApiTests : IAsyncLifetime
{
    private readonly HostFixtures _fixtures = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixtures.DisposeAsync();

    [Fact]
    public async Task GetConnectionHealth_MonitoringOff_UnknownStatusButRealTrafficNumbers()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        await _fixtures.ConnectAsync(a, b);
        await EchoProtocol.EchoAsync(a, b.PeerId, new byte[1000], _fixtures.Token);

        var peer = a.GetConnectionHealth(b.PeerId);

        Assert.Null(a.HealthMonitor);
        var connection = Assert.Single(peer.Connections);
        Assert.Equal(HealthStatus.Unknown, connection.Status);
        Assert.Equal(0, connection.PingsSent); // nobody pings
        Assert.True(connection.Bandwidth.BytesOut >= 1000 && connection.Bandwidth.BytesIn >= 1000);
        Assert.True(connection.IsRoutable);
    }

    [Fact]
    public async Task GetConnectionHealth_MonitoringOffConnectionTenMinutesOld_RatesSpreadOverItsAge()
    {
        var time = new ObservedFakeTimeProvider(); // the connection's age runs on fake time; sockets are real
        var a = new Libp2pHost(timeProvider: time);
        _fixtures.Add(a);
        await a.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], _fixtures.Token);
        var b = await _fixtures.StartHostAsync();
        await _fixtures.ConnectAsync(a, b);
        await EchoProtocol.EchoAsync(a, b.PeerId, new byte[1000], _fixtures.Token);
        time.Advance(TimeSpan.FromMinutes(10));

        var bandwidth = Assert.Single(a.GetConnectionHealth(b.PeerId).Connections).Bandwidth;

        // Every byte moved in the first instant, but one look cannot tell when: a lifetime's bytes over its age, not over 1 s.
        double lifetimeRate = bandwidth.BytesIn / 600.0;
        Assert.True(bandwidth.BytesIn >= 1000);
        Assert.Equal(lifetimeRate, bandwidth.CurrentIn, 1e-6);
        Assert.Equal(lifetimeRate, bandwidth.AverageIn, 1e-6);
        Assert.Equal(lifetimeRate, bandwidth.PeakIn, 1e-6);
    }

    [Fact]
    public async Task GetConnectionHealth_UnknownPeer_EmptyAndDead()
    {
        var a = await _fixtures.StartHostAsync();
        var stranger = await _fixtures.StartHostAsync();

        var peer = a.GetConnectionHealth(stranger.PeerId);

        Assert.Empty(peer.Connections);
        Assert.Equal(HealthStatus.Dead, peer.Status);
        Assert.Equal(0, a.GetNetworkHealthSummary().TotalPeers);
    }

    [Fact]
    public void Constructor_BadHealthOptions_NamesThemWithTheirPrefix()
    {
        var options = new Libp2pHostOptions { Health = { PingTimeout = TimeSpan.Zero, MinHealthThreshold = 2 } };

        var error = Assert.Throws<ArgumentException>(() => new Libp2pHost(options));

        Assert.Contains("Health.PingTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("Health.MinHealthThreshold", error.Message, StringComparison.Ordinal);
    }
}
