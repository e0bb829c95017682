using Microsoft.Extensions.Time.Testing;
using Resilink.Alerting;

namespace Resilink.Alerting.Tests.Alerting;

public sealed class AlertManagerCooldownTests : IAsyncLifetime
{
    private static readonly AlertRule Rule = new("DiskFull", MonitoringLevel.Error);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingAlertSink _sink = new();
    private AlertManager _alerts = null!;

    public Task InitializeAsync()
    {
        _alerts = new AlertManager(new AlertManagerOptions { DefaultCooldown = TimeSpan.FromMinutes(5) }, _time);
        _alerts.AddSink(_sink);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _alerts.DisposeAsync();

    [Fact]
    public async Task Raise_RepeatsWithinCooldown_FoldIntoOneAlertSentOnce()
    {
        DateTimeOffset first = _time.GetUtcNow();
        Alert? alert = null;
        for (int i = 0; i < 5; i++)
        {
            alert = _alerts.Raise(Rule, "db", $"disk at {90 + i} %");
            _time.Advance(TimeSpan.FromMinutes(1)); // the fifth raise is 4 min after the first: still within 5 min
        }

        await _alerts.FlushAsync();
        Assert.Equal(5, alert!.Count);
        Assert.Equal(first, alert.FirstSeen);
        Assert.Equal(first + TimeSpan.FromMinutes(4), alert.LastSeen);
        Assert.Equal("disk at 94 %", alert.Message);
        Alert sent = Assert.Single(_sink.Received);
        Assert.Equal(1, sent.Count);
        Assert.Equal(alert.Id, sent.Id);
        Assert.Equal(4, _alerts.Statistics.Folded);
        Assert.Equal(5, _alerts.Statistics.Raised);
        Assert.Equal(1, _alerts.ActiveCount);
    }

    [Fact]
    public async Task Raise_RepeatAfterCooldown_ResendsOnceWithTheFoldedCount()
    {
        _alerts.Raise(Rule, "db");
        _time.Advance(TimeSpan.FromMinutes(2));
        _alerts.Raise(Rule, "db");
        _time.Advance(TimeSpan.FromMinutes(3)); // 5 min since it was sent
        _alerts.Raise(Rule, "db");
        _alerts.Raise(Rule, "db"); // folded again: the reminder was just sent

        await _alerts.FlushAsync();
        Assert.Equal([1L, 3L], _sink.Received.Select(a => a.Count));
        Assert.Single(_sink.Received.Select(a => a.Id).Distinct());
        Assert.Equal(4, Assert.Single(_alerts.GetActiveAlerts()).Count);
    }

    [Fact]
    public async Task Raise_RuleWithOwnCooldown_OverridesTheDefault()
    {
        var quick = new AlertRule("Quick", MonitoringLevel.Warning) { Cooldown = TimeSpan.FromSeconds(10) };

        _alerts.Raise(quick, "db");
        _time.Advance(TimeSpan.FromSeconds(9));
        _alerts.Raise(quick, "db");
        _time.Advance(TimeSpan.FromSeconds(1));
        _alerts.Raise(quick, "db");

        await _alerts.FlushAsync();
        Assert.Equal([1L, 3L], _sink.Received.Select(a => a.Count));
    }

    [Fact]
    public async Task Raise_SameRuleOtherService_IsASeparateAlert()
    {
        Alert a = _alerts.Raise(Rule, "db")!;
        Alert b = _alerts.Raise(Rule, "cache")!;

        await _alerts.FlushAsync();
        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal(2, _sink.Received.Count);
        Assert.Equal(0, _alerts.Statistics.Folded);
    }

    [Fact]
    public async Task Raise_AfterResolveWithinCooldown_StartsANewAlertAndSendsIt()
    {
        Alert first = _alerts.Raise(Rule, "db")!;
        Assert.True(_alerts.Resolve(Rule.Name, "db"));
        Alert second = _alerts.Raise(Rule, "db")!;

        await _alerts.FlushAsync();
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(1, second.Count);
        Assert.Equal([false, true, false], _sink.Received.Select(a => a.IsResolved));
    }

    [Fact]
    public async Task Resolve_ActiveAlert_SendsItResolvedWithItsCountAndMovesItToHistory()
    {
        _alerts.Raise(Rule, "db");
        _alerts.Raise(Rule, "db");
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(_alerts.Resolve(Rule.Name, "db"));

        await _alerts.FlushAsync();
        Alert resolved = _sink.Received[^1];
        Assert.True(resolved.IsResolved);
        Assert.Equal(_time.GetUtcNow(), resolved.ResolvedAt);
        Assert.Equal(2, resolved.Count);
        Assert.Empty(_alerts.GetActiveAlerts());
        Assert.Equal(resolved.Id, Assert.Single(_alerts.GetHistory()).Id);
        Assert.False(_alerts.Resolve(Rule.Name, "db"));
    }

    [Fact]
    public void Raise_RuleAndRaiseLabels_MergedWithTheRaiseWinning()
    {
        var rule = new AlertRule("Labelled", MonitoringLevel.Info) { Labels = new Dictionary<string, string> { ["team"] = "core", ["tier"] = "1" } };

        Alert alert = _alerts.Raise(rule, "db", labels: new Dictionary<string, string> { ["tier"] = "2", ["zone"] = "a" })!;

        Assert.Equal(new Dictionary<string, string> { ["team"] = "core", ["tier"] = "2", ["zone"] = "a" }, alert.Labels);
        Assert.Equal("Labelled on db", alert.Message);
    }
}
