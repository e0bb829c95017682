using System.Threading.Channels;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Resilink.Alerting;
using Resilink.Monitoring;

namespace Resilink.Alerting.Tests.Monitoring;

public sealed class ServiceHealthMonitorChecksTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _time = new();
    private readonly FakeResourceReader _resources = new();
    private AlertManager _alerts = null!;
    private ServiceHealthMonitor _monitor = null!;

    public Task InitializeAsync()
    {
        _alerts = new AlertManager(new AlertManagerOptions { DrainTimeout = TimeSpan.Zero }, _time);
        _monitor = Create(new ServiceHealthOptions());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _monitor.DisposeAsync();
        await _alerts.DisposeAsync();
    }

    private sealed class ScriptedHealthCheck(Func<HealthCheckResult> result) : IHealthCheck
    {
        public HealthCheckContext? LastContext { get; private set; }

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            LastContext = context;
            return Task.FromResult(result());
        }
    }

    [Fact]
    public async Task AddService_HealthCheckDegraded_IsWarningWithItsDescription()
    {
        var check = new ScriptedHealthCheck(() => HealthCheckResult.Degraded("queue backlog"));
        _monitor.AddService("queue", check);

        ServiceHealthMetrics metrics = await _monitor.CheckServiceAsync("queue");

        Assert.Equal((HealthStatus.Degraded, MonitoringLevel.Warning, "queue backlog"), (metrics.Status, metrics.Level, metrics.Description));
        Assert.Equal("queue", check.LastContext!.Registration.Name);
    }

    [Fact]
    public async Task AddService_HealthCheckUnhealthyWithException_IsCriticalNamingTheError()
    {
        _monitor.AddService("db", new ScriptedHealthCheck(() => HealthCheckResult.Unhealthy("down", new IOException("refused"))));

        ServiceHealthMetrics metrics = await _monitor.CheckServiceAsync("db");

        Assert.Equal(MonitoringLevel.Critical, metrics.Level);
        Assert.Equal("IOException: refused", metrics.Error);
    }

    [Fact]
    public async Task AddService_HealthCheckThrows_IsCriticalNotACrash()
    {
        _monitor.AddService("db", new ScriptedHealthCheck(() => throw new InvalidOperationException("broken check")));

        ServiceHealthMetrics metrics = await _monitor.CheckServiceAsync("db");

        Assert.Equal(MonitoringLevel.Critical, metrics.Level);
        Assert.Equal(ServiceHealthConstants.UnhealthyRule, _alerts.GetActiveAlerts()[0].Rule.Name);
    }

    [Fact]
    public void AddService_SameIdTwice_Throws()
    {
        _monitor.AddService("api", _ => Task.FromResult(ServiceCheckResult.Healthy()));

        Assert.Throws<ArgumentException>(() => _monitor.AddService("api", new ScriptedHealthCheck(() => HealthCheckResult.Healthy())));
    }

    [Fact]
    public async Task Start_EachInterval_ChecksEveryServiceOnceWithOneResourceSample()
    {
        var checkedIds = Channel.CreateUnbounded<string>();
        foreach (string id in new[] { "a", "b" })
        {
            _monitor.AddService(id, _ =>
            {
                checkedIds.Writer.TryWrite(id);
                return Task.FromResult(ServiceCheckResult.Healthy());
            });
        }

        _monitor.Start();
        _time.Advance(Interval - TimeSpan.FromTicks(1));
        Assert.False(checkedIds.Reader.TryRead(out _)); // nothing before the first interval

        for (int round = 1; round <= 3; round++)
        {
            _time.Advance(round == 1 ? TimeSpan.FromTicks(1) : Interval);
            Assert.Equal(["a", "b"], (await ReadAsync(checkedIds, 2)).Order());
            await WaitForRoundEndAsync("a", "b");
            Assert.Equal(round, _monitor.GetHistory("a").Count);
            Assert.Equal(round, _monitor.GetHistory("b").Count);
            Assert.Equal(round, _resources.Reads);
        }
    }

    [Fact]
    public async Task Start_OneCheckHangs_TheOthersAreStillCheckedEveryRound()
    {
        _monitor = Create(new ServiceHealthOptions { CheckTimeout = TimeSpan.FromMinutes(1) });
        var fastChecks = Channel.CreateUnbounded<int>();
        int fast = 0;
        _monitor.AddService("stuck", _ => new TaskCompletionSource<ServiceCheckResult>().Task);
        _monitor.AddService("fast", _ =>
        {
            fastChecks.Writer.TryWrite(Interlocked.Increment(ref fast));
            return Task.FromResult(ServiceCheckResult.Healthy());
        });
        _monitor.Start();

        _time.Advance(Interval);
        Assert.Equal([1], await ReadAsync(fastChecks, 1));
        await WaitForRoundEndAsync("fast");
        _time.Advance(Interval);
        Assert.Equal([2], await ReadAsync(fastChecks, 1)); // "stuck" is still waiting for its 1 min timeout

        Assert.Null(_monitor.GetLatest("stuck"));
    }

    [Fact]
    public async Task GetHistory_OlderThanTheRetention_IsPruned()
    {
        _monitor = Create(new ServiceHealthOptions { MetricsRetention = TimeSpan.FromMinutes(1) });
        _monitor.AddService("api", _ => Task.FromResult(ServiceCheckResult.Healthy()));
        var times = new List<DateTimeOffset>();
        for (int i = 0; i < 5; i++)
        {
            times.Add((await _monitor.CheckServiceAsync("api")).Timestamp);
            _time.Advance(TimeSpan.FromSeconds(20));
        }

        // Now = t0 + 100 s: kept are those of t0 + 40, 60 and 80 s.
        Assert.Equal(times[2..], _monitor.GetHistory("api").Select(m => m.Timestamp));
        _time.Advance(TimeSpan.FromSeconds(20)); // t0 + 60 s is exactly the retention old: kept
        Assert.Equal(times[3..], _monitor.GetHistory("api").Select(m => m.Timestamp));
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(times[4..], _monitor.GetHistory("api").Select(m => m.Timestamp));
    }

    [Fact]
    public async Task GetHistory_MoreChecksThanTheMaximum_KeepsTheNewest()
    {
        _monitor = Create(new ServiceHealthOptions { MaxHistoryPerService = 3 });
        _monitor.AddService("api", _ => Task.FromResult(ServiceCheckResult.Healthy()));
        for (int i = 0; i < 10; i++)
        {
            await _monitor.CheckServiceAsync("api");
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        IReadOnlyList<ServiceHealthMetrics> history = _monitor.GetHistory("api");

        Assert.Equal(3, history.Count);
        Assert.Same(_monitor.GetLatest("api"), history[^1]);
        Assert.Empty(_monitor.GetHistory("unknown"));
    }

    [Fact]
    public async Task RemoveService_WithActiveAlerts_ResolvesThem()
    {
        _monitor.AddService("api", _ => Task.FromResult(ServiceCheckResult.Unhealthy()));
        await _monitor.CheckServiceAsync("api");
        Assert.Equal(2, _alerts.ActiveCount);

        Assert.True(_monitor.RemoveService("api"));

        Assert.Equal(0, _alerts.ActiveCount);
        Assert.Equal(2, _alerts.GetHistory().Count);
        Assert.False(_monitor.RemoveService("api"));
        Assert.Empty(_monitor.Services);
    }

    [Fact]
    public async Task CheckServiceAsync_UserRuleOnTheAlertManager_EvaluatedOnEveryCheck()
    {
        _alerts.AddRule(new AlertRule("TooManyPeers", MonitoringLevel.Error) { Condition = m => m.ConnectionCount > 3 });
        int connections = 5;
        _monitor.AddService("p2p", _ => Task.FromResult(ServiceCheckResult.Healthy()), () => connections);

        await _monitor.CheckServiceAsync("p2p");
        Assert.Equal("TooManyPeers", Assert.Single(_alerts.GetActiveAlerts()).Rule.Name);
        connections = 2;
        await _monitor.CheckServiceAsync("p2p");

        Assert.Empty(_alerts.GetActiveAlerts());
    }

    private ServiceHealthMonitor Create(ServiceHealthOptions options)
    {
        _ = _monitor?.DisposeAsync().AsTask(); // the default one from InitializeAsync, never started
        return new ServiceHealthMonitor(_alerts, options, _time, _resources);
    }

    private static async Task<List<T>> ReadAsync<T>(Channel<T> channel, int count)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var items = new List<T>();
        while (items.Count < count)
        {
            items.Add(await channel.Reader.ReadAsync(limit.Token));
        }

        return items;
    }

    private async Task WaitForRoundEndAsync(params string[] services)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (services.Any(_monitor.IsPeriodicCheckInFlight))
        {
            await Task.Delay(1, limit.Token); // the round records just after the check answered, on another thread
        }
    }
}
