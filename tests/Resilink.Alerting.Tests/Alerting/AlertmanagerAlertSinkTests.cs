using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Resilink.Alerting;

namespace Resilink.Alerting.Tests.Alerting;

/// <summary>The Alertmanager sink's requests as a local HTTP server sees them (the real Alertmanager is in the EndToEnd tests).</summary>
public sealed class AlertmanagerAlertSinkTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly LocalHttpServer _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task SendAsync_FiringAlert_PostsAOneElementArrayToApiV2Alerts()
    {
        var sink = Sink(new Uri(_server.Url, "am"), generator: new Uri("http://resilink.example/alerts"));

        await sink.SendAsync(LoggerAlertSinkTests.Alert(MonitoringLevel.Critical, resolvedAt: null), CancellationToken.None);

        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", "/am/api/v2/alerts"), (request.Method, request.Path));
        JsonElement alert = Assert.Single(JsonDocument.Parse(request.Body).RootElement.EnumerateArray());
        Assert.Equal(
            new Dictionary<string, string> { ["alertname"] = "Down", ["severity"] = "critical", ["service"] = "api", ["team"] = "core", ["bad_name"] = "x" },
            alert.GetProperty("labels").Deserialize<Dictionary<string, string>>());
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["summary"] = "api is down", ["description"] = "The service does not answer.", ["count"] = "3", ["alert_id"] = "0123456789abcdef0123456789abcdef",
            },
            alert.GetProperty("annotations").Deserialize<Dictionary<string, string>>());
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), alert.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 21, 0, TimeSpan.Zero), alert.GetProperty("endsAt").GetDateTimeOffset()); // last seen + 20 min
        Assert.Equal("http://resilink.example/alerts", alert.GetProperty("generatorURL").GetString());
    }

    [Fact]
    public async Task SendAsync_ResolvedAlert_EndsAtItsResolutionWithoutGeneratorUrl()
    {
        var resolvedAt = new DateTimeOffset(2025, 1, 1, 0, 2, 0, TimeSpan.Zero);

        await Sink(_server.Url).SendAsync(LoggerAlertSinkTests.Alert(MonitoringLevel.Warning, resolvedAt), CancellationToken.None);

        JsonElement alert = Assert.Single(JsonDocument.Parse(Assert.Single(_server.Requests).Body).RootElement.EnumerateArray());
        Assert.Equal(resolvedAt, alert.GetProperty("endsAt").GetDateTimeOffset());
        Assert.Equal("warning", alert.GetProperty("labels").GetProperty("severity").GetString());
        Assert.False(alert.TryGetProperty("generatorURL", out _));
    }

    [Theory]
    [InlineData("team", "team")]
    [InlineData("bad-name.x", "bad_name_x")]
    [InlineData("1st", "_1st")]
    [InlineData("", "_")]
    public void Sanitize_AnyName_BecomesAValidPrometheusLabelName(string name, string expected)
    {
        Assert.Equal(expected, PrometheusLabelName.Sanitize(name));
    }

    private AlertmanagerAlertSink Sink(Uri baseAddress, Uri? generator = null) => new(
        _http,
        new AlertmanagerAlertSinkOptions { BaseAddress = baseAddress, GeneratorUrl = generator, Retry = { MaxRetries = 0 } },
        _time);
}
