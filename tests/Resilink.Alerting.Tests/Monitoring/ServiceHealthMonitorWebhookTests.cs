using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Resilink.Alerting;
using Resilink.Alerting.Tests.Alerting;
using Resilink.Monitoring;
using Resilink.Resilience;
using Resilink.Tests.Shared;

namespace Resilink.Alerting.Tests.Monitoring;

/// <summary>A webhook that hangs must cost the monitoring nothing: checks and other sinks go on, the webhook gives up alone.</summary>
public sealed class ServiceHealthMonitorWebhookTests : IAsyncLifetime
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly LocalHttpServer _server = new(LocalHttpServer.Hang, LocalHttpServer.Hang); // then 200s
    private readonly CapturingLogger<AlertManager> _log = new();
    private AlertManager _alerts = null!;
    private ServiceHealthMonitor _monitor = null!;

    public Task InitializeAsync()
    {
        _alerts = new AlertManager(new AlertManagerOptions { DrainTimeout = TimeSpan.Zero }, _time, _log);
        _monitor = new ServiceHealthMonitor(_alerts, new ServiceHealthOptions(), _time, new FakeResourceReader());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _monitor.DisposeAsync();
        await _alerts.DisposeAsync();
        await _server.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task CheckServiceAsync_WebhookHangs_ChecksAndOtherSinksGoOnAndTheWebhookGivesUpWithOneLogLine()
    {
        var options = WebhookAlertSinkTests.Options(new Uri(_server.Url, "hook"), maxRetries: 1);
        _alerts.AddSink(new WebhookAlertSink(_http, options, _time), MonitoringLevel.Critical);
        var other = new RecordingAlertSink();
        _alerts.AddSink(other, MonitoringLevel.Critical);
        _monitor.AddService("api", _ => Task.FromResult(ServiceCheckResult.Unhealthy("down")));

        // The check completes and the other sink is served while the webhook's first request hangs.
        Assert.Equal(MonitoringLevel.Critical, (await _monitor.CheckServiceAsync("api")).Level);
        await _server.WaitForRequestAsync(1);
        await other.WaitForReceivedAsync(1);
        for (int i = 0; i < 100; i++)
        {
            await _monitor.CheckServiceAsync("api"); // folded within the cooldown: nothing more queued
        }

        _alerts.Raise(new AlertRule("Second", MonitoringLevel.Critical), "api");
        await other.WaitForReceivedAsync(2);
        Assert.Single(_server.Requests);

        _time.Advance(RequestTimeout); // attempt 1 times out; the retry (no delay) hangs too
        await _server.WaitForRequestAsync(2);
        _time.Advance(RequestTimeout); // attempt 2 times out: gave up. The next alert gets a 200.
        await _server.WaitForRequestAsync(3);
        await _alerts.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        LogEntry gaveUp = Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("webhook gave up on ServiceUnhealthy for api", gaveUp.Message, StringComparison.Ordinal);
        Assert.Equal(2, Assert.IsType<RetryExhaustedException>(gaveUp.Exception).Attempts.Count);
        Assert.All(Assert.IsType<RetryExhaustedException>(gaveUp.Exception).Attempts, a => Assert.IsType<TimeoutException>(a.Exception));
        Assert.Equal((1L, 3L), (_alerts.Statistics.Failed, _alerts.Statistics.Delivered));
        Assert.Contains("\"rule\":\"Second\"", _server.Requests[2].Body, StringComparison.Ordinal);
    }
}
