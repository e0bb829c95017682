using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Resilink.Health;
using Resilink.Hosting.Dashboard;
using Resilink.Hosting.History;
using Resilink.Net.Addressing;
using Resilink.Net.Chaos;
using Resilink.Net.Host;

namespace Resilink.EndToEnd.Tests.Dashboard;

/// <summary>The dashboard's HTTP endpoints, without a browser: a node in the test process with one libp2p peer.</summary>
public sealed partial class DashboardEndpointTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(30));
    private readonly Libp2pHost _peer = new();
    private DashboardNode? _node;
    private HttpClient? _http;

    private DashboardNode Node => _node!;

    private HttpClient Http => _http!;

    public async Task InitializeAsync()
    {
        await _peer.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")]);
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
        await _peer.DisposeAsync();
        _deadline.Dispose();
    }

    [Fact]
    public async Task Snapshot_OnePeerWithTwoConnections_ListsThePeerAndEachConnectionWithItsFigures()
    {
        await StartNodeAsync();

        using var snapshot = await HealthySnapshotAsync();

        var root = snapshot.RootElement;
        Assert.Equal(Node.Host.PeerId.ToString(), root.GetProperty("nodePeerId").GetString());
        Assert.Equal(2, root.GetProperty("totals").GetProperty("connections").GetInt32());
        Assert.Equal(2, root.GetProperty("totals").GetProperty("connectionsByStatus").GetProperty("Healthy").GetInt32());
        var peer = Assert.Single(root.GetProperty("peers").EnumerateArray());
        Assert.Equal(_peer.PeerId.ToString(), peer.GetProperty("peerId").GetString());
        Assert.Equal("Closed", peer.GetProperty("circuit").GetString());
        var connections = peer.GetProperty("connections").EnumerateArray().ToList();
        Assert.Equal(2, connections.Count);
        Assert.Equal(2, connections.Select(c => c.GetProperty("id").GetString()).Distinct().Count());
        Assert.All(connections, c =>
        {
            Assert.Equal("Healthy", c.GetProperty("status").GetString());
            Assert.InRange(c.GetProperty("score").GetDouble(), 0.5, 1);
            Assert.True(c.GetProperty("rttP50Ms").GetDouble() > 0, "a pinged connection has a round trip");
            Assert.True(c.GetProperty("rttP95Ms").GetDouble() >= c.GetProperty("rttP50Ms").GetDouble());
            Assert.Equal(0, c.GetProperty("activeStreams").GetInt32());
            Assert.True(c.GetProperty("bytesInPerSecond").GetDouble() >= 0);
            Assert.True(c.GetProperty("ageSeconds").GetDouble() > 0);
            Assert.True(c.GetProperty("routable").GetBoolean());
            Assert.False(c.GetProperty("closed").GetBoolean());
        });
        Assert.False(root.GetProperty("resilience").GetProperty("circuitBreaking").GetBoolean());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("activeAlerts").ValueKind);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("recentAlerts").ValueKind);
    }

    [Fact]
    public async Task Snapshot_AfterThePeerGoes_KeepsItsConnectionsAsClosedRows()
    {
        await StartNodeAsync();
        using var before = await HealthySnapshotAsync();
        var ids = ConnectionIds(before.RootElement);

        await _peer.DisposeAsync();

        using var after = await SnapshotWhereAsync(
            root => Connections(root).Count(c => ids.Contains(c.GetProperty("id").GetString()!) && c.GetProperty("closed").GetBoolean()) == 2,
            "both connections reported closed");
        Assert.Equal(0, after.RootElement.GetProperty("totals").GetProperty("connections").GetInt32());
        Assert.All(Connections(after.RootElement), c => Assert.False(c.GetProperty("routable").GetBoolean()));
    }

    [Fact]
    public async Task Events_FirstEventIsASnapshotOnAnUnbufferedEventStream_ThenTheNextTickArrivesOnItsOwn()
    {
        await StartNodeAsync();

        using var response = await Http.GetAsync("api/dashboard/events", HttpCompletionOption.ResponseHeadersRead, _deadline.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_deadline.Token));
        var first = await NextEventAsync(reader);
        // Status events may come first (the connections are still being pinged); the next snapshot must come within a
        // few tick intervals, not only when the stream is closed: nothing is held back on the way.
        using var tick = CancellationTokenSource.CreateLinkedTokenSource(_deadline.Token);
        tick.CancelAfter(DashboardEventHub.SnapshotInterval * 5);
        SseEvent second;
        do
        {
            second = await NextEventAsync(reader, tick.Token);
        }
        while (second.Name != "snapshot");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-cache", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal("snapshot", first.Name);
        using var snapshot = JsonDocument.Parse(first.Data);
        Assert.Equal(Node.Host.PeerId.ToString(), snapshot.RootElement.GetProperty("nodePeerId").GetString());
        using var next = JsonDocument.Parse(second.Data);
        Assert.True(second.Id > first.Id, $"the tick's id {second.Id} follows the first snapshot's {first.Id}");
        Assert.True(
            next.RootElement.GetProperty("timestamp").GetDateTimeOffset() > snapshot.RootElement.GetProperty("timestamp").GetDateTimeOffset(),
            "a new snapshot, not the first one again");
    }

    [Fact]
    public async Task Events_ConnectionsBlackHoled_StatusAndAlertEventsArriveAsTheyHappen()
    {
        await using var proxy = await FaultInjectingProxy.StartAsync(_peer.ListenAddresses[0], ct: _deadline.Token);
        await StartNodeAsync(proxy.ListenAddress);
        using var healthy = await HealthySnapshotAsync();
        using var response = await Http.GetAsync("api/dashboard/events", HttpCompletionOption.ResponseHeadersRead, _deadline.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_deadline.Token));
        await NextEventAsync(reader); // the opening snapshot: the stream is subscribed from here on

        proxy.BlackHoleAll();

        var status = await NextEventNamedAsync(reader, "status");
        var alert = await NextEventNamedAsync(reader, "alert");
        using var change = JsonDocument.Parse(status);
        Assert.Equal(_peer.PeerId.ToString(), change.RootElement.GetProperty("peerId").GetString());
        Assert.Contains(change.RootElement.GetProperty("current").GetString(), new[] { "Degraded", "Unhealthy", "Dead" });
        Assert.Contains(change.RootElement.GetProperty("connectionId").GetString()!, ConnectionIds(healthy.RootElement));
        using var raised = JsonDocument.Parse(alert);
        Assert.Equal("ResilinkConnectionUnhealthy", raised.RootElement.GetProperty("rule").GetString());
        Assert.Equal("Warning", raised.RootElement.GetProperty("level").GetString());
    }

    [Fact]
    public async Task Stop_WithAnEventStreamOpen_EndsTheStreamAndStopsPromptly()
    {
        await StartNodeAsync();
        using var response = await Http.GetAsync("api/dashboard/events", HttpCompletionOption.ResponseHeadersRead, _deadline.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_deadline.Token));
        await NextEventAsync(reader);

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await Node.DisposeAsync();
        _node = null;
        stopping.Stop();
        await reader.ReadToEndAsync(_deadline.Token); // the stream ends (the deadline fails the test if it does not)

        // Kestrel would otherwise wait for the open request until its shutdown timeout (30 s).
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed}");
    }

    [Theory]
    [InlineData("", "text/html")]
    [InlineData("dashboard/dashboard.js", "text/javascript")]
    [InlineData("dashboard/chart.js", "text/javascript")]
    [InlineData("dashboard/dashboard.css", "text/css")]
    public async Task Assets_ServedWithTheirContentTypeAndRevalidatedByETag(string path, string mediaType)
    {
        await StartNodeAsync();

        using var response = await Http.GetAsync(path, _deadline.Token);
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var revalidated = await Http.SendAsync(again, _deadline.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.True(response.Headers.CacheControl?.NoCache, "revalidated on every load, so a new daemon never runs an old script");
        Assert.True((await response.Content.ReadAsByteArrayAsync(_deadline.Token)).Length > 100);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task Assets_UnknownFile_404()
    {
        await StartNodeAsync();

        using var response = await Http.GetAsync("dashboard/nope.js", _deadline.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Page_HasAPolicyThatAllowsOnlyItsOwnOrigin()
    {
        await StartNodeAsync();

        using var response = await Http.GetAsync("", _deadline.Token);

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void EmbeddedAssets_ReferenceNothingOutsideTheNode()
    {
        var assembly = typeof(DashboardEventHub).Assembly;
        var names = assembly.GetManifestResourceNames().Where(n => n.StartsWith("dashboard/", StringComparison.Ordinal)).ToList();

        Assert.Equal(["dashboard/chart.js", "dashboard/dashboard.css", "dashboard/dashboard.js", "dashboard/index.html"], names.Order());
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var text = new StreamReader(stream).ReadToEnd();
            // The SVG namespace name is an identifier that is never fetched; any other absolute or protocol-relative URL is.
            var external = ExternalUrl().Matches(text).Select(m => m.Value).Where(u => u != "http://www.w3.org/2000/svg").ToList();
            Assert.True(external.Count == 0, $"{name} refers to {string.Join(", ", external)}");
        }
    }

    [Fact]
    public async Task History_NoStoreRegistered_EmptyAndNotAvailable()
    {
        await StartNodeAsync();

        using var response = await Http.GetAsync("api/dashboard/history?connection=c1&minutes=5", _deadline.Token);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_deadline.Token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(body.RootElement.GetProperty("available").GetBoolean());
        Assert.Equal("c1", body.RootElement.GetProperty("connectionId").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("samples").GetArrayLength());
    }

    [Fact]
    public async Task History_StoreRegistered_ReturnsThatConnectionsSamplesAndChangesSinceTheWindow()
    {
        var store = new FixedHistory();
        await StartNodeAsync(services => services.AddSingleton<IHealthHistory>(store));

        using var response = await Http.GetAsync("api/dashboard/history?connection=c7&minutes=10", _deadline.Token);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_deadline.Token));

        var root = body.RootElement;
        Assert.True(root.GetProperty("available").GetBoolean());
        var sample = Assert.Single(root.GetProperty("samples").EnumerateArray());
        Assert.Equal("Degraded", sample.GetProperty("status").GetString());
        Assert.Equal(12.5, sample.GetProperty("rttP50Ms").GetDouble());
        var change = Assert.Single(root.GetProperty("statusChanges").EnumerateArray()); // c8's change is left out
        Assert.Equal("c7", change.GetProperty("connectionId").GetString());
        Assert.Equal("c7", store.AskedFor);
        Assert.InRange(DateTimeOffset.UtcNow - store.Since, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
    }

    private async Task StartNodeAsync(Action<IServiceCollection>? services = null) => await StartNodeAsync(_peer.ListenAddresses[0], services);

    private async Task StartNodeAsync(Multiaddr peerAddress, Action<IServiceCollection>? services = null)
    {
        string peer = peerAddress.Encapsulate("/p2p/" + _peer.PeerId).ToString();
        _node = await DashboardNode.StartAsync([peer], services, _deadline.Token);
        _http = new HttpClient { BaseAddress = _node.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    private Task<JsonDocument> HealthySnapshotAsync() => SnapshotWhereAsync(
        root => Connections(root).Count(c => c.GetProperty("status").GetString() == "Healthy" && c.GetProperty("rttP50Ms").GetDouble() > 0) == 2,
        "two healthy, pinged connections");

    private async Task<JsonDocument> SnapshotWhereAsync(Func<JsonElement, bool> done, string what)
    {
        string last = "(none yet)";
        try
        {
            // The node dials and pings in the background; the deadline bounds the polling.
            while (true)
            {
                last = await Http.GetStringAsync("api/dashboard/snapshot", _deadline.Token);
                var document = JsonDocument.Parse(last);
                if (done(document.RootElement))
                {
                    return document;
                }
                document.Dispose();
                await Task.Delay(TimeSpan.FromMilliseconds(100), _deadline.Token);
            }
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"Gave up waiting for a snapshot with {what}; last: {last}", ex);
        }
    }

    private static IEnumerable<JsonElement> Connections(JsonElement root) =>
        root.GetProperty("peers").EnumerateArray().SelectMany(p => p.GetProperty("connections").EnumerateArray());

    private static HashSet<string> ConnectionIds(JsonElement root) => [.. Connections(root).Select(c => c.GetProperty("id").GetString()!)];

    private Task<SseEvent> NextEventAsync(StreamReader reader) => NextEventAsync(reader, _deadline.Token);

    private static async Task<SseEvent> NextEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? name = null, data = null;
        long id = -1;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0 && name is not null)
            {
                return new SseEvent(name, id, data ?? "");
            }
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line["id: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
        }
        throw new InvalidOperationException("The event stream ended.");
    }

    private async Task<string> NextEventNamedAsync(StreamReader reader, string name)
    {
        while (true)
        {
            var next = await NextEventAsync(reader);
            if (next.Name == name)
            {
                return next.Data;
            }
        }
    }

    private sealed record SseEvent(string Name, long Id, string Data);

    [GeneratedRegex(@"(https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s""')]*|https?://[^\s""')]+")]
    private static partial Regex ExternalUrl();

    /// <summary>A history store with one sample of c7 and status changes of c7 and c8; remembers what it was asked.</summary>
    private sealed class FixedHistory : IHealthHistory
    {
        public string? AskedFor { get; private set; }

        public DateTimeOffset Since { get; private set; }

        public Task<IReadOnlyList<HealthSampleRecord>> GetSamplesAsync(string? connectionId, DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
        {
            (AskedFor, Since) = (connectionId, since);
            return Task.FromResult<IReadOnlyList<HealthSampleRecord>>(
                [new HealthSampleRecord(DateTimeOffset.UtcNow.AddMinutes(-1), "peer", "c7", HealthStatus.Degraded, 0.6, 12.5, 40, 1, 100)]);
        }

        public Task<IReadOnlyList<StatusChangeRecord>> GetStatusChangesAsync(string? connectionId, DateTimeOffset since, int limit, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<StatusChangeRecord>>(
            [
                .. new[]
                {
                    new StatusChangeRecord(DateTimeOffset.UtcNow.AddMinutes(-2), "peer", "c7", HealthStatus.Healthy, HealthStatus.Degraded, 0.6, "slow"),
                    new StatusChangeRecord(DateTimeOffset.UtcNow.AddMinutes(-2), "peer", "c8", HealthStatus.Healthy, HealthStatus.Dead, 0, "gone"),
                }.Where(c => connectionId is null || c.ConnectionId == connectionId),
            ]);

        public Task<IReadOnlyList<AlertRecord>> GetAlertsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<AlertRecord>>([]);
    }
}
