using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Resilink.Alerting;
using Resilink.Hosting;
using Resilink.Hosting.Dashboard;
using Resilink.Monitoring;
using Resilink.Net.Host;

namespace Resilink.EndToEnd.Tests.Dashboard;

/// <summary>
/// The dashboard's event hub on its own: a host that is not started (empty snapshots) and a fake clock, so the
/// once-a-second ticker never runs and the test publishes every snapshot itself.
/// </summary>
public sealed class DashboardEventHubTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly Libp2pHost _host = new();
    private readonly AlertManager _alerts = new();
    private DashboardEventHub? _hub;

    private DashboardEventHub Hub => _hub!;

    public Task InitializeAsync()
    {
        _hub = new DashboardEventHub(_host, new DashboardSnapshotBuilder(_host, _alerts, _time), _time, NullLogger<DashboardEventHub>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _hub?.Dispose();
        await _alerts.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public void SlowClient_ManySnapshots_HoldsOnlyTheNewestOne()
    {
        var client = Hub.Subscribe();

        for (int i = 0; i < 100; i++)
        {
            Hub.PublishSnapshot();
        }

        var all = Drain(client);
        var only = Assert.Single(all);
        Assert.Equal("snapshot", only.Name);
        Assert.Equal(100, only.Sequence); // the newest of the hundred
        Assert.Equal(0, client.QueuedEvents);
    }

    [Fact]
    public async Task SlowClient_EventsBetweenSnapshots_ComeInSequenceOrderWithTheNewestSnapshotLast()
    {
        var client = Hub.Subscribe();

        Hub.PublishSnapshot();
        await SendAlertAsync("first");
        Hub.PublishSnapshot();
        await SendAlertAsync("second");
        Hub.PublishSnapshot();

        var all = Drain(client);
        Assert.Equal(["alert", "alert", "snapshot"], all.Select(e => e.Name));
        Assert.Equal([2L, 4L, 5L], all.Select(e => e.Sequence));
        Assert.Contains("\"message\":\"first\"", Encoding.UTF8.GetString(all[0].Body), StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_EncodedOnceAndSharedByEveryClient()
    {
        var first = Hub.Subscribe();
        var second = Hub.Subscribe();

        Hub.PublishSnapshot();

        var a = Assert.Single(Drain(first));
        var b = Assert.Single(Drain(second));
        Assert.Same(a.Body, b.Body);
        Assert.Equal($"event: snapshot\nid: {a.Sequence}\ndata: ", Encoding.UTF8.GetString(a.Header));
        Assert.DoesNotContain((byte)'\n', a.Body); // one data: line
    }

    [Fact]
    public void Snapshot_YoungerThanTheReuseWindow_IsReused_OlderIsRebuilt()
    {
        var built = Hub.Snapshot(DashboardEventHub.SnapshotReuse);

        _time.Advance(DashboardEventHub.SnapshotReuse / 2);
        var reused = Hub.Snapshot(DashboardEventHub.SnapshotReuse);
        _time.Advance(DashboardEventHub.SnapshotReuse);
        var rebuilt = Hub.Snapshot(DashboardEventHub.SnapshotReuse);

        Assert.Same(built, reused);
        Assert.NotSame(built, rebuilt);
        Assert.True(rebuilt.Sequence > built.Sequence);
    }

    [Fact]
    public async Task App_DisposedWithoutEverStarting_LetsGoOfTheHostsEvents()
    {
        Hub.Dispose(); // this class's own hub listens to the same host
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_host); // the host outlives the application, as one passed in from outside would
        builder.Services.AddResilink().AddDashboard();
        var app = builder.Build();
        app.MapResilinkDashboard();
        Assert.Contains(HealthHandlers(), h => h.Target is DashboardEventHub);

        // E.g. a later startup step failed before StartAsync: no ApplicationStopping or ApplicationStopped is raised.
        await app.DisposeAsync();

        Assert.DoesNotContain(HealthHandlers(), h => h.Target is DashboardEventHub);
    }

    private Delegate[] HealthHandlers()
    {
        var field = typeof(Libp2pHost).GetField(nameof(Libp2pHost.HealthStatusChanged), BindingFlags.Instance | BindingFlags.NonPublic)!;
        return (field.GetValue(_host) as Delegate)?.GetInvocationList() ?? [];
    }

    private static List<DashboardEvent> Drain(DashboardClient client)
    {
        var all = new List<DashboardEvent>();
        while (client.TryRead(out var item))
        {
            all.Add(item);
        }
        return all;
    }

    private async Task SendAlertAsync(string message)
    {
        var alert = new Alert
        {
            Id = Guid.NewGuid().ToString("N"), Rule = new AlertRule("TestRule", MonitoringLevel.Warning), Service = "test", Message = message,
            Labels = new Dictionary<string, string>(), FirstSeen = _time.GetUtcNow(), LastSeen = _time.GetUtcNow(), Count = 1,
        };
        await ((IAlertSink)Hub).SendAsync(alert, CancellationToken.None);
    }
}
