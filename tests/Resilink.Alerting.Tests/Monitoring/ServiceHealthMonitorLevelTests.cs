using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Resilink.Alerting;
using Resilink.Alerting.Tests.Alerting;
using Resilink.Monitoring;
using Resilink.Tests.Shared;

namespace Resilink.Alerting.Tests.Monitoring;

public sealed class ServiceHealthMonitorLevelTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeResourceReader _resources = new();
    private readonly CapturingLogger<ServiceHealthMonitor> _log = new();
    private AlertManager _alerts = null!;
    private ServiceHealthMonitor _monitor = null!;

    public Task InitializeAsync()
    {
        _alerts = new AlertManager(new AlertManagerOptions { DrainTimeout = TimeSpan.Zero }, _time);
        _monitor = new ServiceHealthMonitor(_alerts, new ServiceHealthOptions(), _time, _resources, _log);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _monitor.DisposeAsync();
        await _alerts.DisposeAsync();
    }

    [Fact]
    public async Task CheckServiceAsync_HealthyFastCheck_IsInfoWithTheNumbersAndRaisesNothing()
    {
        _monitor.AddService("api", _ => Task.FromResult(ServiceCheckResult.Healthy("ok")), connectionCount: () => 42);

        ServiceHealthMetrics metrics = await _monitor.CheckServiceAsync("api");

        Assert.Equal(MonitoringLevel.Info, metrics.Level);
        Assert.Equal(HealthStatus.Healthy, metrics.Status);
        Assert.Equal((0.0, TimeSpan.Zero, 42, "ok"), (metrics.ErrorRate, metrics.ResponseTime, metrics.ConnectionCount, metrics.Description));
        Assert.Equal((5.0, 100L << 20, 10L << 20), (metrics.CpuPercent, metrics.WorkingSetBytes, metrics.GcHeapBytes));
        Assert.Equal(_time.GetUtcNow(), metrics.Timestamp);
        Assert.Empty(_alerts.GetActiveAlerts());
        Assert.Same(metrics, _monitor.GetLatest("api"));
    }

    [Fact]
    public async Task CheckServiceAsync_ReportedErrorRateOverThreshold_IsErrorWithTheErrorRateAlert()
    {
        _monitor.AddService("api", _ => Task.FromResult(ServiceCheckResult.Healthy() with { ErrorRate = 0.11 }));

        ServiceHealthMetrics metrics = await _monitor.CheckServiceAsync("api");

        Assert.Equal(MonitoringLevel.Error, metrics.Level);
        Alert alert = Assert.Single(_alerts.GetActiveAlerts());
        Assert.Equal((ServiceHealthConstants.ErrorRateRule, MonitoringLevel.Error, "api"), (alert.Rule.Name, alert.Level, alert.Service));
        Assert.Equal("api error rate 0.11 is over 0.1", alert.Message);
    }

    [Fact]
    public async Task CheckServiceAsync_ErrorRateAtThreshold_IsNotAnError()
    {
        _monitor.AddService("api", _ => Task.FromResult(ServiceCheckResult.Healthy() with { ErrorRate = 0.1 }));

        Assert.Equal(MonitoringLevel.Info, (await _monitor.CheckServiceAsync("api")).Level);
    }

    [Fact]
    public async Task CheckServiceAsync_OneFailedCheckInTheWindow_StaysErrorAfterRecoveringUntilTheRateDrops()
    {
        bool fail = true;
        _monitor.AddService("api", _ => Task.FromResult(fail ? ServiceCheckResult.Unhealthy("down") : ServiceCheckResult.Healthy()));
        Assert.Equal(MonitoringLevel.Critical, (await _monitor.CheckServiceAsync("api")).Level);
        fail = false;

        var levels = new List<(double, MonitoringLevel)>();
        for (int i = 0; i < 9; i++)
        {
            ServiceHealthMetrics m = await _monitor.CheckServiceAsync("api");
            levels.Add((Math.Round(m.ErrorRate, 3), m.Level));
        }

        // 1 failure in n checks (n = i + 2): over 0.1 while n < 10, exactly 0.1 (not over) at n = 10.
        Assert.All(levels[..8], l => Assert.Equal(MonitoringLevel.Error, l.Item2));
        Assert.Equal((0.111, MonitoringLevel.Error), levels[7]);
        Assert.Equal((0.1, MonitoringLevel.Info), levels[8]);
        Assert.Empty(_alerts.GetActiveAlerts());
        Assert.Equal([ServiceHealthConstants.UnhealthyRule, ServiceHealthConstants.ErrorRateRule], _alerts.GetHistory().Select(a => a.Rule.Name));
    }

    [Fact]
    public async Task CheckServiceAsync_LevelChanges_LogsEachRealChangeOnceAndNeverASameLevelChange()
    {
        bool fail = false;
        _monitor.AddService("api", _ => Task.FromResult(fail ? ServiceCheckResult.Unhealthy("down") : ServiceCheckResult.Healthy()));

        await _monitor.CheckServiceAsync("api"); // first check at Info: the level it started at, no change
        await _monitor.CheckServiceAsync("api");
        fail = true;
        await _monitor.CheckServiceAsync("api"); // Info -> Critical
        await _monitor.CheckServiceAsync("api");

        var changes = _log.Entries.Where(e => e.EventId == 1).Select(e => e.Message).ToList();
        Assert.Equal(["Service api: Info -> Critical (check said Unhealthy)"], changes);
    }

    [Fact]
    public async Task CheckServiceAsync_SlowAnswer_IsWarningWithTheMeasuredResponseTime()
    {
        _monitor.AddService("api", _ =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(1500)); // the service takes 1.5 s to answer
            return Task.FromResult(ServiceCheckResult.Healthy());
        });

        ServiceHealthMetrics metrics = await _monitor.CheckServiceAsync("api");

        Assert.Equal(TimeSpan.FromMilliseconds(1500), metrics.ResponseTime);
        Assert.Equal(MonitoringLevel.Warning, metrics.Level);
        Assert.Equal(ServiceHealthConstants.ResponseTimeRule, Assert.Single(_alerts.GetActiveAlerts()).Rule.Name);
    }

    [Fact]
    public async Task CheckServiceAsync_ReportedResponseTime_WinsOverTheMeasuredOne()
    {
        _monitor.AddService("api", _ => Task.FromResult(ServiceCheckResult.Healthy() with { ResponseTime = TimeSpan.FromSeconds(3) }));

        ServiceHealthMetrics metrics = await _monitor.CheckServiceAsync("api");

        Assert.Equal((TimeSpan.FromSeconds(3), MonitoringLevel.Warning), (metrics.ResponseTime, metrics.Level));
    }

    [Fact]
    public async Task CheckServiceAsync_Degraded_IsWarning()
    {
        _monitor.AddService("api", _ => Task.FromResult(ServiceCheckResult.Degraded("replica lag")));

        ServiceHealthMetrics metrics = await _monitor.CheckServiceAsync("api");

        Assert.Equal(MonitoringLevel.Warning, metrics.Level);
        Assert.Equal("api is degraded: replica lag", Assert.Single(_alerts.GetActiveAlerts()).Message);
    }

    [Fact]
    public async Task CheckServiceAsync_Unhealthy_IsCriticalAboveTheErrorRateAlert()
    {
        _monitor.AddService("api", _ => Task.FromResult(ServiceCheckResult.Unhealthy("refused")));

        ServiceHealthMetrics metrics = await _monitor.CheckServiceAsync("api");

        Assert.Equal(MonitoringLevel.Critical, metrics.Level);
        Assert.Equal(
            [(ServiceHealthConstants.UnhealthyRule, MonitoringLevel.Critical), (ServiceHealthConstants.ErrorRateRule, MonitoringLevel.Error)],
            _alerts.GetActiveAlerts().Select(a => (a.Rule.Name, a.Level)));
    }

    [Fact]
    public async Task CheckServiceAsync_CheckThrows_RecordedAsCriticalAlertNotAnException()
    {
        _monitor.AddService("api", _ => throw new InvalidOperationException("connection pool exhausted"));

        ServiceHealthMetrics metrics = await _monitor.CheckServiceAsync("api");

        Assert.Equal((HealthStatus.Unhealthy, MonitoringLevel.Critical), (metrics.Status, metrics.Level));
        Assert.Equal("InvalidOperationException: connection pool exhausted", metrics.Error);
        Alert alert = _alerts.GetActiveAlerts()[0];
        Assert.Equal((ServiceHealthConstants.UnhealthyRule, MonitoringLevel.Critical), (alert.Rule.Name, alert.Level));
        Assert.Equal("api is unhealthy: InvalidOperationException: connection pool exhausted", alert.Message);
        Assert.Contains(_log.Entries, e => e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task CheckServiceAsync_CheckFaultsAsynchronously_AlsoCritical()
    {
        _monitor.AddService("api", async ct =>
        {
            await Task.Yield();
            throw new TimeoutException("db");
        });

        Assert.Equal(MonitoringLevel.Critical, (await _monitor.CheckServiceAsync("api")).Level);
    }

    [Fact]
    public async Task CheckServiceAsync_CheckNeverAnswers_TimesOutAsCriticalAtTheCheckTimeout()
    {
        _monitor.AddService("api", _ => new TaskCompletionSource<ServiceCheckResult>().Task); // ignores its token too

        Task<ServiceHealthMetrics> check = _monitor.CheckServiceAsync("api");
        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.False(check.IsCompleted);
        _time.Advance(TimeSpan.FromTicks(1));
        ServiceHealthMetrics metrics = await check.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(MonitoringLevel.Critical, metrics.Level);
        Assert.Equal(TimeSpan.FromSeconds(10), metrics.ResponseTime);
        Assert.StartsWith("TimeoutException", metrics.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(80.5, 0L, 0, ServiceHealthConstants.CpuRule)]
    [InlineData(1.0, 3L << 30, 0, ServiceHealthConstants.MemoryRule)]
    [InlineData(1.0, 0L, 10_001, ServiceHealthConstants.ConnectionsRule)]
    public async Task CheckServiceAsync_ResourceOverItsThreshold_IsWarningWithThatRule(double cpu, long memory, int connections, string rule)
    {
        _resources.Usage = new ResourceUsage(cpu, memory, 0);
        _monitor.AddService("api", _ => Task.FromResult(ServiceCheckResult.Healthy()), () => connections);

        ServiceHealthMetrics metrics = await _monitor.CheckServiceAsync("api");

        Assert.Equal(MonitoringLevel.Warning, metrics.Level);
        Assert.Equal(rule, Assert.Single(_alerts.GetActiveAlerts()).Rule.Name);
    }

    [Fact]
    public async Task CheckServiceAsync_ResourceReaderAndCounterThrow_UnknownValuesAndTheCheckStillCounts()
    {
        _resources.Failure = new InvalidOperationException("no /proc");
        _monitor.AddService("api", _ => Task.FromResult(ServiceCheckResult.Healthy()), () => throw new InvalidOperationException("counter"));

        ServiceHealthMetrics metrics = await _monitor.CheckServiceAsync("api");

        Assert.Equal((MonitoringLevel.Info, 0.0, 0L, (int?)null), (metrics.Level, metrics.CpuPercent, metrics.WorkingSetBytes, metrics.ConnectionCount));
        Assert.Equal(2, _log.Entries.Count(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning));
    }

    [Fact]
    public async Task CheckServiceAsync_UnknownService_Throws()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _monitor.CheckServiceAsync("nope"));
    }
}
