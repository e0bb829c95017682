using System.Text.Json;
using Resilink.Health;
using Resilink.Net.Chaos;
using Resilink.Tests.Shared;

namespace Resilink.Net.Tests.Health;

/// <summary>
/// <see cref="Net.Host.Libp2pHost.ExportHealthMetrics"/> of a real host whose three monitored connections are two
/// healthy and one degraded (+300 ms through the proxy): the Prometheus text passes the real <c>promtool check metrics</c>,
/// the JSON says what <see cref="Net.Host.Libp2pHost.GetNetworkHealthSummary"/> says.
/// </summary>
public sealed class HostHealthExportTests : IAsyncLifetime
{
    private HealthScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _scenario = await HealthScenario.StartAsync();
        var faultedAt = DateTimeOffset.UtcNow;
        _scenario.FaultyLink.Faults = new FaultProfile { Latency = TimeSpan.FromMilliseconds(150) };
        // Degraded by the latency: not a Degraded from before the fault (a first ping that failed on a loaded machine).
        await _scenario.WaitForStatusAsync(_scenario.Faulty.Id, HealthStatus.Degraded, c => c.Timestamp >= faultedAt);

        // No more check rounds (pings in flight are abandoned, not counted): statuses and scores stay as they are,
        // so two reads of the host's health agree. The records stay readable.
        await _scenario.A.HealthMonitor!.DisposeAsync();
    }

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task ExportHealthMetrics_PrometheusFromMonitoredConnections_PassesPromtoolWithEachConnectionsStatus()
    {
        var summary = _scenario.A.GetNetworkHealthSummary();

        var exposition = _scenario.A.ExportHealthMetrics(HealthExportFormat.Prometheus);

        await Promtool.AssertCleanAsync(exposition);
        var lines = exposition.Split('\n');
        Assert.Contains("resilink_health_connections 3", lines);
        var connections = summary.Peers.Single().Connections;
        Assert.Equal(3, connections.Count);
        Assert.Contains(connections, c => c.ConnectionId == _scenario.Faulty.Id && c.Status == HealthStatus.Degraded);
        foreach (var c in connections)
        {
            var labels = $"peer=\"{c.PeerKey}\",connection=\"{c.ConnectionId}\"";
            Assert.Contains($"resilink_health_connection_status{{{labels},status=\"{LabelName(c.Status)}\"}} 1", lines);
            Assert.Contains($"resilink_health_connection_rtt_seconds_count{{{labels}}} {c.Rtt.SampleCount}", lines);
            Assert.True(c.Rtt.SampleCount > 0);
        }
    }

    [Fact]
    public void ExportHealthMetrics_JsonFromMonitoredConnections_MatchesNetworkHealthSummary()
    {
        var summary = _scenario.A.GetNetworkHealthSummary();

        using var json = JsonDocument.Parse(_scenario.A.ExportHealthMetrics(HealthExportFormat.Json));

        var root = json.RootElement;
        Assert.Equal(summary.TotalPeers, root.GetProperty("totalPeers").GetInt32());
        Assert.Equal(summary.TotalConnections, root.GetProperty("totalConnections").GetInt32());
        Assert.Equal(3, summary.TotalConnections);
        var peer = Assert.Single(root.GetProperty("peers").EnumerateArray());
        var expectedPeer = Assert.Single(summary.Peers);
        Assert.Equal(expectedPeer.PeerKey, peer.GetProperty("peerKey").GetString());
        Assert.Equal(WireName(expectedPeer.Status), peer.GetProperty("status").GetString());
        var exported = peer.GetProperty("connections").EnumerateArray()
            .Select(c => (Id: c.GetProperty("connectionId").GetString(), Status: c.GetProperty("status").GetString()))
            .ToList();
        Assert.Equal(expectedPeer.Connections.Select(c => (Id: (string?)c.ConnectionId, Status: (string?)WireName(c.Status))), exported);
        Assert.Contains((_scenario.Faulty.Id, "Degraded"), exported);
        Assert.All(peer.GetProperty("connections").EnumerateArray(), c => Assert.True(c.GetProperty("rtt").GetProperty("sampleCount").GetInt64() > 0));
        foreach (var (status, count) in summary.ConnectionsByStatus)
        {
            Assert.Equal(count, root.GetProperty("connectionsByStatus").GetProperty(WireName(status)).GetInt32());
        }
    }

    /// <summary>A status in JSON: its enum name, as the dashboard spells it.</summary>
    private static string WireName(HealthStatus status) => status.ToString();

    /// <summary>A status as a Prometheus label value: lower case, the metric label convention.</summary>
    private static string LabelName(HealthStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());
}
