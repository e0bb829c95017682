using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Resilink.Alerting;
using Resilink.Monitoring;
using Resilink.Tests.Shared;

namespace Resilink.Alerting.Tests.Alerting;

public sealed class AlertManagerEvaluateTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly CapturingLogger<AlertManager> _log = new();
    private AlertManager _alerts = null!;

    public Task InitializeAsync()
    {
        _alerts = new AlertManager(timeProvider: _time, logger: _log);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _alerts.DisposeAsync();

    [Fact]
    public void Evaluate_ConditionHolds_RaisesWithItsMessageThenResolvesWhenItStops()
    {
        _alerts.AddRule(new AlertRule("ManyConnections", MonitoringLevel.Warning)
        {
            Condition = m => m.ConnectionCount > 100,
            Message = m => $"{m.ConnectionCount} connections",
        });

        Alert fired = Assert.Single(_alerts.Evaluate(Metrics("api", connections: 150)));
        Assert.Equal(("ManyConnections", "api", "150 connections"), (fired.Rule.Name, fired.Service, fired.Message));
        Assert.Equal(2, Assert.Single(_alerts.Evaluate(Metrics("api", connections: 160))).Count);

        Assert.Empty(_alerts.Evaluate(Metrics("api", connections: 10)));

        Assert.Empty(_alerts.GetActiveAlerts());
        Assert.Equal(2, Assert.Single(_alerts.GetHistory()).Count);
    }

    [Fact]
    public void Evaluate_ConditionThrows_LoggedAndTheOtherRulesStillRun()
    {
        _alerts.AddRule(new AlertRule("Broken", MonitoringLevel.Error) { Condition = _ => throw new InvalidOperationException("bad rule") });
        _alerts.AddRule(new AlertRule("Always", MonitoringLevel.Info) { Condition = _ => true });

        IReadOnlyList<Alert> fired = _alerts.Evaluate(Metrics("api"));

        Assert.Equal("Always", Assert.Single(fired).Rule.Name);
        Assert.Contains(_log.Entries, e => e.Message.Contains("Broken", StringComparison.Ordinal) && e.Exception is InvalidOperationException);
    }

    [Fact]
    public void AddRule_WithoutConditionOrTwice_Throws()
    {
        _alerts.AddRule(new AlertRule("Once", MonitoringLevel.Info) { Condition = _ => false });

        Assert.Throws<ArgumentException>(() => _alerts.AddRule(new AlertRule("Direct", MonitoringLevel.Info)));
        Assert.Throws<ArgumentException>(() => _alerts.AddRule(new AlertRule("Once", MonitoringLevel.Error) { Condition = _ => true }));
    }

    [Fact]
    public void Constructor_UndefinedLevelOrEmptyName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new AlertRule("X", (MonitoringLevel)7));
        Assert.Throws<ArgumentException>(() => new AlertRule(" ", MonitoringLevel.Info));
    }

    private ServiceHealthMetrics Metrics(string service, int? connections = null) => new()
    {
        ServiceId = service,
        Timestamp = _time.GetUtcNow(),
        Status = HealthStatus.Healthy,
        ErrorRate = 0,
        ResponseTime = TimeSpan.FromMilliseconds(5),
        CpuPercent = 1,
        WorkingSetBytes = 1,
        GcHeapBytes = 1,
        ConnectionCount = connections,
    };
}
