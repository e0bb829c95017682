using Microsoft.Extensions.Time.Testing;
using Resilink.Alerting;

namespace Resilink.Alerting.Tests.Alerting;

public sealed class AlertManagerBoundsTests : IAsyncLifetime
{
    private const int Storm = 10_000;
    private static readonly TimeSpan StormStep = TimeSpan.FromSeconds(1) / Storm; // 10,000 raises within one second
    private static readonly AlertRule Info = new("Noise", MonitoringLevel.Info);
    private static readonly AlertRule Critical = new("Down", MonitoringLevel.Critical);
    private readonly FakeTimeProvider _time = new();
    private AlertManager _alerts = null!;

    public Task InitializeAsync()
    {
        _alerts = Create(new AlertManagerOptions());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _alerts.DisposeAsync();

    [Fact]
    public async Task Raise_StormOfOneAlert_FoldsIntoOneWithTheFullCountAndSendsOnce()
    {
        var sink = new RecordingAlertSink();
        _alerts.AddSink(sink);

        for (int i = 0; i < Storm; i++)
        {
            _alerts.Raise(Critical, "svc");
            _time.Advance(StormStep);
        }

        await _alerts.FlushAsync();
        Assert.Equal(Storm, Assert.Single(_alerts.GetActiveAlerts()).Count);
        Assert.Single(sink.Received);
        Assert.Equal(new AlertManagerStatistics(Storm, Storm - 1, 0, 0, 1, 1, 0, 0, 0), _alerts.Statistics);
    }

    [Fact]
    public async Task Raise_StormOfDistinctAlertsIntoAHangingSink_StaysWithinEveryBoundAndCountsTheDrops()
    {
        _alerts = Create(new AlertManagerOptions { MaxActiveAlerts = 100, SinkQueueCapacity = 50, MaxHistory = 100 });
        var sink = new RecordingAlertSink();
        sink.Block();
        _alerts.AddSink(sink);

        for (int i = 0; i < Storm; i++)
        {
            _alerts.Raise(Info, $"svc{i}"); // returns at once although the sink hangs
            _time.Advance(StormStep);
        }

        await sink.WaitForSendStartedAsync();
        AlertManagerStatistics stats = _alerts.Statistics;
        Assert.Equal(100, _alerts.ActiveCount);
        Assert.Equal(Storm - 100, stats.DroppedAlerts);
        Assert.Equal(100, stats.Queued);
        Assert.InRange(_alerts.PendingDeliveries, 1, 51); // the queue plus the one send in progress
        Assert.Equal(100 - _alerts.PendingDeliveries, stats.DroppedDeliveries);

        sink.Release();
        await _alerts.FlushAsync();
        Assert.Equal(100, _alerts.Statistics.Delivered + _alerts.Statistics.DroppedDeliveries);
        Assert.Equal("svc99", sink.Received[^1].Service); // the newest survive, the oldest waiting ones were dropped
    }

    [Fact]
    public void Raise_StormOfRaisesAndResolves_KeepsTheHistoryAtItsCap()
    {
        _alerts = Create(new AlertManagerOptions { MaxHistory = 100 });

        for (int i = 0; i < Storm; i++)
        {
            _alerts.Raise(Info, $"svc{i}");
            _alerts.Resolve(Info.Name, $"svc{i}");
            _time.Advance(StormStep);
        }

        IReadOnlyList<Alert> history = _alerts.GetHistory();
        Assert.Equal(100, history.Count);
        Assert.Equal($"svc{Storm - 100}", history[0].Service);
        Assert.Equal(Storm - 100, _alerts.Statistics.DroppedHistory);
        Assert.Equal(0, _alerts.ActiveCount);
    }

    [Fact]
    public void Raise_FullTableAndAMoreSevereAlert_DisplacesTheLeastSevereOldest()
    {
        _alerts = Create(new AlertManagerOptions { MaxActiveAlerts = 3 });
        var warning = new AlertRule("Slow", MonitoringLevel.Warning);
        _alerts.Raise(warning, "a");
        _time.Advance(TimeSpan.FromSeconds(1));
        _alerts.Raise(Info, "b");
        _time.Advance(TimeSpan.FromSeconds(1));
        _alerts.Raise(Info, "c");

        Assert.NotNull(_alerts.Raise(Critical, "d"));

        Assert.Equal(["Down/d", "Slow/a", "Noise/c"], _alerts.GetActiveAlerts().Select(a => $"{a.Rule.Name}/{a.Service}"));
        Assert.Equal(1, _alerts.Statistics.DroppedAlerts);
    }

    [Fact]
    public void Raise_FullTableOfEquallySevereAlerts_DropsTheNewOne()
    {
        _alerts = Create(new AlertManagerOptions { MaxActiveAlerts = 2 });
        _alerts.Raise(Critical, "a");
        _alerts.Raise(Critical, "b");

        Assert.Null(_alerts.Raise(Critical, "c"));
        Assert.NotNull(_alerts.Raise(Critical, "a")); // folding into an active alert needs no room

        Assert.Equal(["a", "b"], _alerts.GetActiveAlerts().Select(a => a.Service));
        Assert.Equal(1, _alerts.Statistics.DroppedAlerts);
    }

    [Fact]
    public void GetHistory_ResolvedLongerAgoThanTheRetention_IsPruned()
    {
        _alerts = Create(new AlertManagerOptions { HistoryRetention = TimeSpan.FromHours(1) });
        _alerts.Raise(Info, "old");
        _alerts.Resolve(Info.Name, "old");
        _time.Advance(TimeSpan.FromMinutes(40));
        _alerts.Raise(Info, "new");
        _alerts.Resolve(Info.Name, "new");
        Assert.Equal(["old", "new"], _alerts.GetHistory().Select(a => a.Service));

        _time.Advance(TimeSpan.FromMinutes(20) + TimeSpan.FromTicks(1));

        Assert.Equal(["new"], _alerts.GetHistory().Select(a => a.Service));
    }

    private AlertManager Create(AlertManagerOptions options)
    {
        _ = _alerts?.DisposeAsync().AsTask();
        options.DrainTimeout = TimeSpan.Zero;
        return new AlertManager(options, _time);
    }
}
