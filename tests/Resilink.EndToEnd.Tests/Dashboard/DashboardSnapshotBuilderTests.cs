using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using Resilink.Alerting;
using Resilink.Hosting.Dashboard;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Tests.Shared;

namespace Resilink.EndToEnd.Tests.Dashboard;

/// <summary>The dashboard's snapshot builder on its own, with a fake clock for its timestamps.</summary>
public sealed class DashboardSnapshotBuilderTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(30));
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture));
    private readonly Libp2pHost _host = new();
    private readonly AlertManager _alerts = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _alerts.DisposeAsync();
        await _host.DisposeAsync();
        _deadline.Dispose();
    }

    [Fact]
    public void Remember_WhileABuildHoldsItsLock_DoesNotWaitForIt()
    {
        var builder = new DashboardSnapshotBuilder(_host, _alerts, _time);
        // Stands for a build in the middle of host.GetNetworkHealthSummary() with many connections.
        var buildLock = (Lock)typeof(DashboardSnapshotBuilder).GetField("_gate", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(builder)!;

        bool returned;
        using (buildLock.EnterScope())
        {
            var remember = new Thread(() => builder.Remember(Change("c9", "Dead"))) { IsBackground = true };
            remember.Start();
            returned = remember.Join(TimeSpan.FromSeconds(10)); // a bound on completion, not a guess at timing: the old code waits for the lock
        }

        Assert.True(returned, "Remember (the health monitor's thread) waited for the build");
    }

    [Fact]
    public void Build_ChangeRememberedForAConnectionThatIsGone_ShowsItAsAClosedRowWithThatStatus()
    {
        var builder = new DashboardSnapshotBuilder(_host, _alerts, _time);

        builder.Remember(Change("c9", "Dead"));
        var snapshot = builder.Build();

        var row = Assert.Single(snapshot.Peers.SelectMany(p => p.Connections));
        Assert.Equal("c9", row.Id);
        Assert.Equal("Dead", row.Status);
        Assert.True(row.Closed);
    }

    [Theory]
    [InlineData("Closed", "Closed", "Closed")] // this node closed them all: the peer was not lost
    [InlineData("Closed", "Dead", "Dead")]
    [InlineData("Dead", "Dead", "Dead")]
    public void Build_EveryConnectionOfAPeerGone_PeerIsClosedOnlyWhenAllWereClosedLocally(string first, string second, string peerStatus)
    {
        var builder = new DashboardSnapshotBuilder(_host, _alerts, _time);

        builder.Remember(Change("c1", first));
        builder.Remember(Change("c2", second));
        var snapshot = builder.Build();

        Assert.Equal(peerStatus, Assert.Single(snapshot.Peers).Status);
    }

    [Fact]
    public async Task Build_AfterAStretchWithNobodyWatching_DatesAVanishedConnectionsCloseByTheLastBuildThatSawIt()
    {
        var builder = new DashboardSnapshotBuilder(_host, _alerts, _time);
        await using var peer = new Libp2pHost();
        await peer.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")]);
        var connection = await _host.DialAsync(peer.ListenAddresses[0].Encapsulate("/p2p/" + peer.PeerId), _deadline.Token);
        await Poll.UntilAsync(() => _host.GetNetworkHealthSummary().TotalConnections == 1, TimeSpan.FromMilliseconds(20), () => "the connection is listed", _deadline.Token);
        var seen = _time.GetUtcNow();
        builder.Build();

        _time.Advance(TimeSpan.FromMinutes(2)); // nobody builds meanwhile; the connection closes somewhere in here
        await peer.DisposeAsync();
        await Poll.UntilAsync(() => _host.GetNetworkHealthSummary().TotalConnections == 0, TimeSpan.FromMilliseconds(20), () => "the connection is gone", _deadline.Token);
        var snapshot = builder.Build();

        var row = Assert.Single(snapshot.Peers.SelectMany(p => p.Connections));
        Assert.Equal(connection.Id, row.Id);
        Assert.True(row.Closed);
        Assert.Equal(seen, row.ClosedAt); // not the build's "now", two minutes later
    }

    private static DashboardStatusChange Change(string connection, string current) =>
        new(connection, "peer", "Healthy", current, 0, "test", DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture));
}
