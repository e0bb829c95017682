using System.Text.Json;
using Resilink.Alerting;
using Resilink.EndToEnd.Tests.Support;
using Resilink.Monitoring;

namespace Resilink.EndToEnd.Tests.Alerting;

/// <summary>
/// Alerts sent by <see cref="AlertmanagerAlertSink"/> to a real Prometheus Alertmanager (the Debian package
/// prometheus-alertmanager), started for each test on its own free port with a null receiver and no clustering.
/// </summary>
public sealed class AlertmanagerAlertSinkEndToEndTests
{
    private const string Tool = "prometheus-alertmanager";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Raise_ThroughTheSink_AppearsInAlertmanagerWithItsLabelsThenResolves()
    {
        using var directory = new TempDirectory("resilink-alertmanager-");
        await using var alertmanager = await StartAlertmanagerAsync(directory);
        using var http = new HttpClient();
        await using var alerts = new AlertManager();
        alerts.AddSink(new AlertmanagerAlertSink(
            http, new AlertmanagerAlertSinkOptions { BaseAddress = alertmanager.Url, GeneratorUrl = new Uri("http://resilink.test/alerts") }));
        string run = Guid.NewGuid().ToString("N");
        var rule = new AlertRule("ResilinkEndToEnd", MonitoringLevel.Critical)
        {
            Labels = new Dictionary<string, string> { ["run"] = run },
            Description = "Raised by the end-to-end test.",
        };

        alerts.Raise(rule, "api", "api is down", new Dictionary<string, string> { ["zone"] = "a" });
        await alerts.FlushAsync();
        Assert.True(alerts.Statistics.Delivered == 1, $"Not delivered: {alerts.Statistics}\n{alertmanager.Server.Output}");

        JsonElement alert = await alertmanager.WaitForAlertsAsync($"run=\"{run}\"", found => found.GetArrayLength() == 1, Patience);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["alertname"] = "ResilinkEndToEnd", ["severity"] = "critical", ["service"] = "api", ["run"] = run, ["zone"] = "a",
            },
            alert[0].GetProperty("labels").Deserialize<Dictionary<string, string>>());
        JsonElement annotations = alert[0].GetProperty("annotations");
        Assert.Equal("api is down", annotations.GetProperty("summary").GetString());
        Assert.Equal("Raised by the end-to-end test.", annotations.GetProperty("description").GetString());
        Assert.Equal("1", annotations.GetProperty("count").GetString());
        Assert.Equal("active", alert[0].GetProperty("status").GetProperty("state").GetString());
        Assert.Equal("http://resilink.test/alerts", alert[0].GetProperty("generatorURL").GetString());

        Assert.True(alerts.Resolve(rule.Name, "api"));
        await alerts.FlushAsync();

        await alertmanager.WaitForAlertsAsync($"run=\"{run}\"", found => found.GetArrayLength() == 0, Patience); // resolved alerts are not listed
    }

    [Fact]
    public async Task CheckServiceAsync_UnhealthyService_ItsCriticalAlertReachesAlertmanagerAndIsResolvedOnRecovery()
    {
        using var directory = new TempDirectory("resilink-alertmanager-");
        await using var alertmanager = await StartAlertmanagerAsync(directory);
        using var http = new HttpClient();
        await using var alerts = new AlertManager();
        alerts.AddSink(new AlertmanagerAlertSink(http, new AlertmanagerAlertSinkOptions { BaseAddress = alertmanager.Url }), MonitoringLevel.Critical);
        await using var monitor = new ServiceHealthMonitor(alerts);
        string service = $"e2e-{Guid.NewGuid():N}";
        bool healthy = false;
        monitor.AddService(service, _ => Task.FromResult(healthy ? ServiceCheckResult.Healthy() : ServiceCheckResult.Unhealthy("refused")));

        await monitor.CheckServiceAsync(service);
        await alerts.FlushAsync();

        JsonElement found = await alertmanager.WaitForAlertsAsync($"service=\"{service}\"", a => a.GetArrayLength() == 1, Patience);
        JsonElement labels = found[0].GetProperty("labels");
        Assert.Equal(ServiceHealthConstants.UnhealthyRule, labels.GetProperty("alertname").GetString());
        Assert.Equal("critical", labels.GetProperty("severity").GetString());
        Assert.Equal($"{service} is unhealthy: refused", found[0].GetProperty("annotations").GetProperty("summary").GetString());

        healthy = true;
        await monitor.CheckServiceAsync(service);
        await alerts.FlushAsync();

        await alertmanager.WaitForAlertsAsync($"service=\"{service}\"", a => a.GetArrayLength() == 0, Patience);
        Assert.Equal((2L, 0L), (alerts.Statistics.Delivered, alerts.Statistics.Failed)); // the Error-level alert was not routed here
    }

    private static async Task<RunningAlertmanager> StartAlertmanagerAsync(TempDirectory directory)
    {
        string config = directory.File("alertmanager.yml");
        await File.WriteAllTextAsync(config, "route:\n  receiver: \"null\"\nreceivers:\n  - name: \"null\"\n");
        int port = ExternalServer.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        ExternalServer server = await ExternalServer.StartAsync(
            Tool,
            Tool,
            [
                $"--config.file={config}",
                $"--storage.path={directory.File("data")}",
                $"--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address=",
            ],
            new Uri(url, "-/ready"),
            TimeSpan.FromSeconds(60),
            CancellationToken.None);
        return new RunningAlertmanager(server, url);
    }

    private sealed class RunningAlertmanager(ExternalServer server, Uri url) : IAsyncDisposable
    {
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

        public ExternalServer Server { get; } = server;

        public Uri Url { get; } = url;

        /// <summary>Polls <c>GET /api/v2/alerts?filter=…</c> until <paramref name="done"/> holds for the answer (a JSON array).</summary>
        public async Task<JsonElement> WaitForAlertsAsync(string filter, Func<JsonElement, bool> done, TimeSpan patience)
        {
            var query = new Uri(Url, $"api/v2/alerts?filter={Uri.EscapeDataString(filter)}");
            using var deadline = new CancellationTokenSource(patience);
            string last = "";
            while (true)
            {
                last = await _http.GetStringAsync(query, CancellationToken.None);
                JsonElement alerts = JsonDocument.Parse(last).RootElement;
                if (done(alerts))
                {
                    return alerts;
                }

                try
                {
                    // Alertmanager applies posted alerts asynchronously; the deadline bounds the polling.
                    await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"Alertmanager never showed the expected alerts for {filter}; last answer: {last}\n{Server.Output}");
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await Server.DisposeAsync();
        }
    }
}
