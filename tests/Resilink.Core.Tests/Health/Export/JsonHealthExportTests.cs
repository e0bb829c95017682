using System.Reflection;
using System.Text.Json;
using Resilink.Health;

namespace Resilink.Core.Tests.Health.Export;

public class JsonHealthExportTests
{
    private static JsonDocument Export(NetworkHealthSummary summary) =>
        JsonDocument.Parse(HealthExporter.Export(summary, HealthExportFormat.Json));

    private static JsonElement FirstConnection(JsonDocument json) =>
        json.RootElement.GetProperty("peers")[0].GetProperty("connections")[0];

    [Fact]
    public void Export_TwoPeers_WritesSummaryFields()
    {
        NetworkHealthSummary summary = HealthSnapshotExamples.TwoPeers();
        using JsonDocument json = Export(summary);
        JsonElement root = json.RootElement;

        Assert.Equal(HealthSnapshotExamples.Now, root.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(2, root.GetProperty("totalPeers").GetInt32());
        Assert.Equal(3, root.GetProperty("totalConnections").GetInt32());
        Assert.Equal(summary.AverageHealth, root.GetProperty("averageHealth").GetDouble());
        Assert.Equal(0.0, root.GetProperty("minHealth").GetDouble());
        Assert.Equal(["peer-b"], root.GetProperty("unhealthyPeers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            [("Unknown", 0), ("Healthy", 1), ("Degraded", 1), ("Unhealthy", 0), ("Dead", 1), ("Closed", 0)],
            root.GetProperty("connectionsByStatus").EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())));
    }

    [Fact]
    public void Export_TwoPeers_WritesPeerFields()
    {
        using JsonDocument json = Export(HealthSnapshotExamples.TwoPeers());
        JsonElement peerA = json.RootElement.GetProperty("peers")[0];
        JsonElement peerB = json.RootElement.GetProperty("peers")[1];

        Assert.Equal("peer-a", peerA.GetProperty("peerKey").GetString());
        Assert.Equal("Healthy", peerA.GetProperty("status").GetString());
        Assert.Equal(0.6875, peerA.GetProperty("averageScore").GetDouble());
        Assert.Equal(0.5, peerA.GetProperty("minScore").GetDouble());
        Assert.Equal(0.875, peerA.GetProperty("maxScore").GetDouble());
        Assert.Equal(1, peerA.GetProperty("healthyConnections").GetInt32());
        Assert.Equal(["a1", "a2"], peerA.GetProperty("connections").EnumerateArray().Select(c => c.GetProperty("connectionId").GetString()));
        Assert.Equal("Dead", peerB.GetProperty("status").GetString());
    }

    [Fact]
    public void Export_Connection_WritesEveryValue()
    {
        using JsonDocument json = Export(HealthSnapshotExamples.TwoPeers());
        JsonElement c = FirstConnection(json);

        Assert.Equal("a1", c.GetProperty("connectionId").GetString());
        Assert.Equal("peer-a", c.GetProperty("peerKey").GetString());
        Assert.Equal("Healthy", c.GetProperty("status").GetString());
        Assert.Equal(0.875, c.GetProperty("score").GetDouble());
        Assert.Equal(0.9, c.GetProperty("latencyScore").GetDouble());
        Assert.Equal(0.95, c.GetProperty("successScore").GetDouble());
        Assert.Equal(0.6, c.GetProperty("stabilityScore").GetDouble());
        Assert.Equal(0.25, c.GetProperty("phi").GetDouble());
        Assert.Equal(42, c.GetProperty("pingsSent").GetInt64());
        Assert.Equal(2, c.GetProperty("pingsFailed").GetInt64());
        Assert.Equal(0.95, c.GetProperty("pingSuccessRate").GetDouble());
        Assert.Equal(1, c.GetProperty("consecutivePingFailures").GetInt32());
        Assert.Equal(3, c.GetProperty("activeStreams").GetInt32());
        Assert.Equal(17, c.GetProperty("streamsOpened").GetInt64());
        Assert.Equal(4, c.GetProperty("failedStreams").GetInt64());
        Assert.Equal(HealthSnapshotExamples.Now - TimeSpan.FromSeconds(90.5), c.GetProperty("openedAt").GetDateTimeOffset());
        Assert.Equal(HealthSnapshotExamples.Now - TimeSpan.FromSeconds(30), c.GetProperty("lastStatusChange").GetDateTimeOffset());
        Assert.True(c.GetProperty("isRoutable").GetBoolean());
    }

    [Fact]
    public void Export_Connection_WritesTimeSpansAsSeconds()
    {
        using JsonDocument json = Export(HealthSnapshotExamples.TwoPeers());
        JsonElement c = FirstConnection(json);
        JsonElement rtt = c.GetProperty("rtt");

        Assert.Equal(JsonValueKind.Number, c.GetProperty("ageSeconds").ValueKind);
        Assert.Equal(90.5, c.GetProperty("ageSeconds").GetDouble());
        Assert.Equal(0.012, rtt.GetProperty("lastSeconds").GetDouble());
        Assert.Equal(0.010, rtt.GetProperty("averageSeconds").GetDouble());
        Assert.Equal(0.009, rtt.GetProperty("p50Seconds").GetDouble());
        Assert.Equal(0.020, rtt.GetProperty("p95Seconds").GetDouble());
        Assert.Equal(0.031, rtt.GetProperty("p99Seconds").GetDouble());
        Assert.Equal(40, rtt.GetProperty("sampleCount").GetInt64());
        Assert.Equal(60.0, c.GetProperty("bandwidth").GetProperty("windowSeconds").GetDouble());
    }

    [Fact]
    public void Export_Connection_WritesBandwidth()
    {
        using JsonDocument json = Export(HealthSnapshotExamples.TwoPeers());
        JsonElement b = FirstConnection(json).GetProperty("bandwidth");

        Assert.Equal(1000, b.GetProperty("bytesIn").GetInt64());
        Assert.Equal(2000, b.GetProperty("bytesOut").GetInt64());
        Assert.Equal(10.5, b.GetProperty("currentIn").GetDouble());
        Assert.Equal(20.25, b.GetProperty("currentOut").GetDouble());
        Assert.Equal(8.0, b.GetProperty("averageIn").GetDouble());
        Assert.Equal(16.0, b.GetProperty("averageOut").GetDouble());
        Assert.Equal(100.0, b.GetProperty("peakIn").GetDouble());
        Assert.Equal(200.0, b.GetProperty("peakOut").GetDouble());
    }

    [Fact]
    public void Export_Connection_WritesHistoriesWithCamelCaseKinds()
    {
        using JsonDocument json = Export(HealthSnapshotExamples.TwoPeers());
        JsonElement c = FirstConnection(json);
        JsonElement error = Assert.Single(c.GetProperty("recentErrors").EnumerateArray());
        JsonElement[] events = c.GetProperty("recentEvents").EnumerateArray().ToArray();

        Assert.Equal(HealthSnapshotExamples.Now - TimeSpan.FromSeconds(20), error.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("ping_timeout", error.GetProperty("type").GetString());
        Assert.Equal("no answer within 5 s", error.GetProperty("message").GetString());
        Assert.Equal(["opened", "statusChanged"], events.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(["", "Healthy"], events.Select(e => e.GetProperty("detail").GetString()));
        Assert.Equal(HealthSnapshotExamples.Now - TimeSpan.FromSeconds(30), events[1].GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public void Export_StatusNeverChanged_WritesNull()
    {
        using JsonDocument json = Export(HealthSnapshotExamples.Single(HealthSnapshotExamples.NeverAnswered("p", "c")));

        Assert.Equal(JsonValueKind.Null, FirstConnection(json).GetProperty("lastStatusChange").ValueKind);
    }

    [Fact]
    public void Export_NonFiniteNumbers_WritesNamedLiteralsAsStrings()
    {
        ConnectionHealthSnapshot odd = HealthSnapshotExamples.Connection("p", "c") with
        {
            Score = double.NaN,
            Phi = double.PositiveInfinity,
            LatencyScore = double.NegativeInfinity,
        };
        using JsonDocument json = Export(HealthSnapshotExamples.Single(odd));
        JsonElement c = FirstConnection(json);

        Assert.Equal("NaN", c.GetProperty("score").GetString());
        Assert.Equal("Infinity", c.GetProperty("phi").GetString());
        Assert.Equal("-Infinity", c.GetProperty("latencyScore").GetString());
        Assert.Equal("NaN", json.RootElement.GetProperty("averageHealth").GetString());
    }

    [Fact]
    public void Export_TrickyStrings_RoundTrip()
    {
        const string peer = "peer \"quoted\" \\back\\ new\nline ünï🚀";
        const string connection = "conn\t<&>'";
        using JsonDocument json = Export(HealthSnapshotExamples.Tricky(peer, connection));

        Assert.Equal(peer, json.RootElement.GetProperty("peers")[0].GetProperty("peerKey").GetString());
        Assert.Equal(peer, FirstConnection(json).GetProperty("peerKey").GetString());
        Assert.Equal(connection, FirstConnection(json).GetProperty("connectionId").GetString());
    }

    [Fact]
    public void Export_EmptySummary_WritesZerosAndEmptyLists()
    {
        using JsonDocument json = Export(HealthSnapshotExamples.Empty());
        JsonElement root = json.RootElement;

        Assert.Equal(0, root.GetProperty("totalPeers").GetInt32());
        Assert.Equal(0, root.GetProperty("totalConnections").GetInt32());
        Assert.Equal(0.0, root.GetProperty("averageHealth").GetDouble());
        Assert.Equal(0, root.GetProperty("peers").GetArrayLength());
        Assert.Equal(0, root.GetProperty("unhealthyPeers").GetArrayLength());
        Assert.Equal(6, root.GetProperty("connectionsByStatus").EnumerateObject().Count(p => p.Value.GetInt32() == 0));
    }

    // Guards "every snapshot field is exported": a property added to a snapshot type fails here until the
    // JSON schema gets it too. TimeSpans are renamed with a Seconds suffix.
    [Theory]
    [InlineData(typeof(NetworkHealthSummary), "")]
    [InlineData(typeof(PeerHealthSnapshot), "peers[0]")]
    [InlineData(typeof(ConnectionHealthSnapshot), "peers[0].connections[0]")]
    [InlineData(typeof(RttStatistics), "peers[0].connections[0].rtt")]
    [InlineData(typeof(BandwidthStatistics), "peers[0].connections[0].bandwidth")]
    [InlineData(typeof(HealthError), "peers[0].connections[0].recentErrors[0]")]
    [InlineData(typeof(ConnectionLifecycleEvent), "peers[0].connections[0].recentEvents[0]")]
    public void Export_EverySnapshotType_HasOneJsonPropertyPerPublicProperty(Type snapshotType, string path)
    {
        using JsonDocument json = Export(HealthSnapshotExamples.TwoPeers());
        JsonElement element = Navigate(json.RootElement, path);

        IEnumerable<string> expected = snapshotType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) + (p.PropertyType == typeof(TimeSpan) ? "Seconds" : ""))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    private static JsonElement Navigate(JsonElement element, string path)
    {
        foreach (string step in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            int bracket = step.IndexOf('[', StringComparison.Ordinal);
            element = bracket < 0
                ? element.GetProperty(step)
                : element.GetProperty(step[..bracket])[int.Parse(step[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)];
        }

        return element;
    }
}
