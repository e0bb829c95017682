using Microsoft.Extensions.Time.Testing;
using Resilink.Alerting;
using Resilink.Tests.Shared;

namespace Resilink.Alerting.Tests.Alerting;

public sealed class AlertManagerRoutingTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly CapturingLogger<AlertManager> _log = new();
    private AlertManager _alerts = null!;

    public Task InitializeAsync()
    {
        _alerts = new AlertManager(new AlertManagerOptions { DrainTimeout = TimeSpan.Zero }, _time, _log);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _alerts.DisposeAsync();

    [Fact]
    public async Task Raise_SinksWithMinimumLevels_EachGetsItsLevelAndAbove()
    {
        var all = new RecordingAlertSink("all");
        var errors = new RecordingAlertSink("errors");
        var pager = new RecordingAlertSink("pager");
        _alerts.AddSink(all);
        _alerts.AddSink(errors, MonitoringLevel.Error);
        _alerts.AddSink(pager, MonitoringLevel.Critical);

        foreach (MonitoringLevel level in Enum.GetValues<MonitoringLevel>())
        {
            _alerts.Raise(new AlertRule($"Rule{level}", level), "svc");
        }

        await _alerts.FlushAsync();
        Assert.Equal(Enum.GetValues<MonitoringLevel>(), all.Received.Select(a => a.Level));
        Assert.Equal([MonitoringLevel.Error, MonitoringLevel.Critical], errors.Received.Select(a => a.Level));
        Assert.Equal([MonitoringLevel.Critical], pager.Received.Select(a => a.Level));
    }

    [Fact]
    public async Task Resolve_RoutedLikeTheFiringAlert()
    {
        var pager = new RecordingAlertSink("pager");
        _alerts.AddSink(pager, MonitoringLevel.Critical);
        var warning = new AlertRule("Slow", MonitoringLevel.Warning);
        var critical = new AlertRule("Down", MonitoringLevel.Critical);
        _alerts.Raise(warning, "svc");
        _alerts.Raise(critical, "svc");

        _alerts.Resolve(warning.Name, "svc");
        _alerts.Resolve(critical.Name, "svc");

        await _alerts.FlushAsync();
        Assert.Equal([("Down", false), ("Down", true)], pager.Received.Select(a => (a.Rule.Name, a.IsResolved)));
    }

    [Fact]
    public async Task Raise_OneSinkHangs_RaiseReturnsAndTheOtherSinkStillReceives()
    {
        var hanging = new RecordingAlertSink("hanging");
        hanging.Block();
        var other = new RecordingAlertSink("other");
        _alerts.AddSink(hanging);
        _alerts.AddSink(other);

        Alert? alert = _alerts.Raise(new AlertRule("Down", MonitoringLevel.Critical), "svc");
        await hanging.WaitForSendStartedAsync();
        await other.WaitForReceivedAsync(1); // while the first sink still hangs

        Assert.NotNull(alert);
        Assert.Empty(hanging.Received);
        Assert.Equal(alert.Id, Assert.Single(other.Received).Id);
    }

    [Fact]
    public async Task Raise_SinkThrows_CountedAsFailedAndLoggedOnce()
    {
        var broken = new RecordingAlertSink("broken") { Failure = new InvalidOperationException("boom") };
        _alerts.AddSink(broken);

        _alerts.Raise(new AlertRule("Down", MonitoringLevel.Critical), "svc");

        await _alerts.FlushAsync();
        Assert.Equal(1, _alerts.Statistics.Failed);
        Assert.Equal(0, _alerts.Statistics.Delivered);
        LogEntry entry = Assert.Single(_log.Entries);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, entry.Level);
        Assert.Contains("broken gave up on Down for svc", entry.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(entry.Exception);
    }

    [Fact]
    public async Task DisposeAsync_SinkHangsPastDrainTimeout_CancelsItAndCountsTheDrop()
    {
        var hanging = new RecordingAlertSink("hanging");
        hanging.Block();
        _alerts.AddSink(hanging);
        _alerts.Raise(new AlertRule("Down", MonitoringLevel.Critical), "svc");
        _alerts.Raise(new AlertRule("Down", MonitoringLevel.Critical), "other");
        await hanging.WaitForSendStartedAsync();

        await _alerts.DisposeAsync(); // DrainTimeout is 0

        AlertManagerStatistics stats = _alerts.Statistics;
        Assert.Equal(2, stats.Queued);
        Assert.Equal(2, stats.DroppedDeliveries);
        Assert.Equal(0, _alerts.PendingDeliveries);
        Assert.Throws<ObjectDisposedException>(() => _alerts.Raise(new AlertRule("Late", MonitoringLevel.Info), "svc"));
    }

    [Fact]
    public async Task DisposeAsync_SinkKeepsUp_DeliversWhatIsQueuedBeforeStopping()
    {
        var sink = new RecordingAlertSink();
        var alerts = new AlertManager(timeProvider: _time); // default 5 s drain, and no fake time passes
        alerts.AddSink(sink);
        for (int i = 0; i < 100; i++)
        {
            alerts.Raise(new AlertRule("Down", MonitoringLevel.Critical), $"svc{i}");
        }

        await alerts.DisposeAsync();

        Assert.Equal(100, sink.Received.Count);
        Assert.Equal(100, alerts.Statistics.Delivered);
    }
}
