using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Resilink.Alerting;
using Resilink.Resilience;

namespace Resilink.Alerting.Tests.Alerting;

/// <summary>The webhook sink against a real HTTP server on 127.0.0.1; timeouts and retry delays run on fake time.</summary>
public sealed class WebhookAlertSinkTests : IAsyncLifetime
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan }; // only the sink's fake-time timeout applies
    private LocalHttpServer _server = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task SendAsync_ServerAnswers200_PostsTheAlertAsJsonOnce()
    {
        _server = new LocalHttpServer();

        await Sink().SendAsync(LoggerAlertSinkTests.Alert(MonitoringLevel.Critical, resolvedAt: null), CancellationToken.None);

        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", "/hooks/alerts"), (request.Method, request.Path));
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        JsonElement json = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("Down", json.GetProperty("rule").GetString());
        Assert.Equal("critical", json.GetProperty("level").GetString());
        Assert.Equal("firing", json.GetProperty("status").GetString());
        Assert.Equal("api", json.GetProperty("service").GetString());
        Assert.Equal("api is down", json.GetProperty("message").GetString());
        Assert.Equal("The service does not answer.", json.GetProperty("description").GetString());
        Assert.Equal("core", json.GetProperty("labels").GetProperty("team").GetString());
        Assert.Equal(3, json.GetProperty("count").GetInt64());
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), json.GetProperty("firstSeen").GetDateTimeOffset());
        Assert.False(json.TryGetProperty("resolvedAt", out _));
    }

    [Fact]
    public async Task SendAsync_ResolvedAlert_StatusResolvedWithItsTime()
    {
        _server = new LocalHttpServer();

        await Sink().SendAsync(LoggerAlertSinkTests.Alert(MonitoringLevel.Warning, DateTimeOffset.UnixEpoch), CancellationToken.None);

        JsonElement json = JsonDocument.Parse(Assert.Single(_server.Requests).Body).RootElement;
        Assert.Equal("resolved", json.GetProperty("status").GetString());
        Assert.Equal(DateTimeOffset.UnixEpoch, json.GetProperty("resolvedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task SendAsync_500Then500Then200_RetriedUntilAccepted()
    {
        _server = new LocalHttpServer(500, 503);

        await Sink().SendAsync(LoggerAlertSinkTests.Alert(MonitoringLevel.Error, null), CancellationToken.None);

        Assert.Equal(3, _server.Requests.Count);
        Assert.Single(_server.Requests.Select(r => r.Body).Distinct());
    }

    [Fact]
    public async Task SendAsync_ServerHangsThenAnswers_AttemptTimesOutAfterTheTimeoutAndIsRetried()
    {
        _server = new LocalHttpServer(LocalHttpServer.Hang);

        Task send = Sink().SendAsync(LoggerAlertSinkTests.Alert(MonitoringLevel.Error, null), CancellationToken.None).AsTask();
        await _server.WaitForRequestAsync(1);
        _time.Advance(RequestTimeout - TimeSpan.FromTicks(1));
        Assert.False(send.IsCompleted);
        Assert.Single(_server.Requests);

        _time.Advance(TimeSpan.FromTicks(1));
        await _server.WaitForRequestAsync(2);
        await send.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_AlwaysFails_GivesUpAfterMaxRetriesWithEveryAttemptListed()
    {
        _server = new LocalHttpServer(500, 500, 500, 500);

        var error = await Assert.ThrowsAsync<RetryExhaustedException>(
            () => Sink(maxRetries: 2).SendAsync(LoggerAlertSinkTests.Alert(MonitoringLevel.Error, null), CancellationToken.None).AsTask());

        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(3, error.Attempts.Count);
        Assert.All(error.Attempts, a => Assert.Equal(System.Net.HttpStatusCode.InternalServerError, Assert.IsType<AlertDeliveryException>(a.Exception).StatusCode));
    }

    [Fact]
    public async Task SendAsync_400_RejectedWithoutRetry()
    {
        _server = new LocalHttpServer(400);

        var error = await Assert.ThrowsAsync<AlertRejectedException>(
            () => Sink().SendAsync(LoggerAlertSinkTests.Alert(MonitoringLevel.Error, null), CancellationToken.None).AsTask());

        Assert.Single(_server.Requests);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task SendAsync_NothingListens_RetriedThenGivesUp()
    {
        _server = new LocalHttpServer();
        var closed = new LocalHttpServer();
        Uri url = closed.Url;
        await closed.DisposeAsync();

        var sink = new WebhookAlertSink(_http, Options(url, maxRetries: 1), _time);
        var error = await Assert.ThrowsAsync<RetryExhaustedException>(
            () => sink.SendAsync(LoggerAlertSinkTests.Alert(MonitoringLevel.Error, null), CancellationToken.None).AsTask());

        Assert.Equal(2, error.Attempts.Count);
        Assert.All(error.Attempts, a => Assert.IsType<AlertDeliveryException>(a.Exception));
    }

    private WebhookAlertSink Sink(int maxRetries = 3) => new(_http, Options(new Uri(_server.Url, "hooks/alerts"), maxRetries), _time);

    internal static WebhookAlertSinkOptions Options(Uri url, int maxRetries) => new()
    {
        Url = url,
        Timeout = RequestTimeout,
        Retry = { MaxRetries = maxRetries, InitialDelay = TimeSpan.Zero, JitterFactor = 0 },
    };
}
