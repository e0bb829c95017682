using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Resilink.EndToEnd.Tests.Support;
using Resilink.Net.Addressing;
using Resilink.Net.Host;

namespace Resilink.EndToEnd.Tests.Prometheus;

/// <summary>
/// A real Prometheus (the Debian package prometheus, started for the test on its own free port, never the system
/// service) scrapes the <c>/metrics</c> of a node hosted with <c>AddResilink().AddPrometheusEndpoint()</c> and <c>MapResilinkPrometheusEndpoint</c>,
/// and evaluates the real alert rules of deploy/prometheus/alerts.yml against it.
/// </summary>
[Collection(nameof(InProcessMetricsGroup))]
public sealed partial class PrometheusScrapeEndToEndTests
{
    private const string Tool = "prometheus";
    private const string Job = "resilink-e2e";

    // The whole test (Prometheus' start included) gets this long; every wait shares it.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(35);

    [Fact]
    public async Task Scrape_NodeKeepingTwoPeers_ShowsTwoPeersThenFiresPeersIsolatedWhenBothAreGone()
    {
        var clock = Stopwatch.StartNew();
        await using var peerA = await StartPeerAsync();
        await using var peerB = await StartPeerAsync();
        await using var node = await StartNodeAsync(Address(peerA), Address(peerB));
        using var directory = new TempDirectory("resilink-prometheus-");
        string rules = await WriteRulesWithShortWaitsAsync(directory);
        await using var prometheus = await StartPrometheusAsync(directory, rules, node.MetricsTarget, Remaining(clock));

        JsonElement raw = await prometheus.WaitForQueryAsync(
            "resilink_peers_connected",
            result => result.EnumerateArray().Any(s => Label(s, "job") == Job && Value(s) == 2),
            clock,
            node);
        JsonElement series = Assert.Single(raw.EnumerateArray(), s => Label(s, "job") == Job);
        Assert.Equal(node.MetricsTarget, Label(series, "instance"));
        // What the exporter adds (otel_scope_name, …) must not split the rules' "sum by (job, instance)".
        JsonElement peers = await prometheus.QueryAsync($"sum by (job, instance) (resilink_peers_connected{{job=\"{Job}\"}})");
        Assert.True(peers.GetArrayLength() == 1 && Value(peers[0]) == 2, $"peers as the rules see them: {peers}; raw: {series}");
        JsonElement attempts = await prometheus.QueryAsync(
            $"sum by (job) (resilink_connection_attempts_total{{job=\"{Job}\",outcome=\"success\",direction=\"outbound\"}})");
        Assert.True(attempts.GetArrayLength() == 1 && Value(attempts[0]) >= 2, $"successful outbound attempts: {attempts}");
        JsonElement active = await prometheus.QueryAsync($"sum by (job) (resilink_connections_active{{job=\"{Job}\",state=\"connected\"}})");
        Assert.True(active.GetArrayLength() == 1 && Value(active[0]) >= 2, $"active connections: {active}");

        await peerA.DisposeAsync();
        await peerB.DisposeAsync();

        JsonElement alert = await prometheus.WaitForFiringAlertAsync("ResilinkPeersIsolated", clock, node);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["alertname"] = "ResilinkPeersIsolated", ["severity"] = "critical", ["job"] = Job, ["instance"] = node.MetricsTarget,
            },
            alert.GetProperty("labels").Deserialize<Dictionary<string, string>>());
    }

    private static TimeSpan Remaining(Stopwatch clock) => Budget - clock.Elapsed;

    private static string Address(Libp2pHost host) => host.ListenAddresses[0].Encapsulate("/p2p/" + host.PeerId).ToString();

    private static string? Label(JsonElement series, string name) =>
        series.GetProperty("metric").TryGetProperty(name, out JsonElement value) ? value.GetString() : null;

    // An instant vector sample is [ <unix time>, "<value>" ].
    private static double Value(JsonElement series) =>
        double.Parse(series.GetProperty("value")[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static async Task<Libp2pHost> StartPeerAsync()
    {
        var peer = new Libp2pHost();
        await peer.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")]);
        return peer;
    }

    private static async Task<Node> StartNodeAsync(params string[] peers)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddResilink(node =>
        {
            foreach (string peer in peers)
            {
                node.Peers.Add(peer);
            }
            node.Host.Health.EnableHealthMonitoring = true;
            node.Host.Health.HealthCheckInterval = TimeSpan.FromMilliseconds(200);
            node.Host.Health.PingTimeout = TimeSpan.FromSeconds(1);
        }).AddPrometheusEndpoint();
        WebApplication app = builder.Build();
        app.MapResilinkEndpoints();
        app.MapResilinkPrometheusEndpoint();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new Node(app, new Uri(app.Urls.Single()));
    }

    // The expressions are the real ones from deploy/prometheus/alerts.yml; only the waiting times ("for: 5m", …) are
    // shortened, so that an alert fires within seconds of its condition instead of minutes and the test runs in seconds.
    private static async Task<string> WriteRulesWithShortWaitsAsync(TempDirectory directory)
    {
        string original = await File.ReadAllTextAsync(DeployFiles.AlertRules);
        int replaced = 0;
        string shortened = ForDuration().Replace(original, match =>
        {
            replaced++;
            return match.Groups["key"].Value + "2s";
        });
        Assert.True(replaced > 0, $"No 'for:' durations to shorten in {DeployFiles.AlertRules}.");
        string rules = directory.File("alerts.yml");
        await File.WriteAllTextAsync(rules, shortened);
        return rules;
    }

    private static async Task<RunningPrometheus> StartPrometheusAsync(TempDirectory directory, string rules, string target, TimeSpan timeout)
    {
        string config = directory.File("prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
              - {JsonSerializer.Serialize(rules)}
            scrape_configs:
              - job_name: {Job}
                metrics_path: /metrics
                static_configs:
                  - targets: [{JsonSerializer.Serialize(target)}]
            """);
        int port = ExternalServer.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        ExternalServer server = await ExternalServer.StartAsync(
            Tool,
            Tool,
            [
                $"--config.file={config}",
                $"--storage.tsdb.path={directory.File("data")}",
                $"--web.listen-address=127.0.0.1:{port}",
            ],
            new Uri(url, "-/ready"),
            timeout,
            CancellationToken.None);
        return new RunningPrometheus(server, url);
    }

    // "    for: 5m" in a rule (the key and its indentation kept), not "for" in a description.
    [GeneratedRegex(@"^(?<key>[ \t]+for:[ \t]*)[0-9]+[smhdwy][ \t]*$", RegexOptions.Multiline)]
    private static partial Regex ForDuration();

    /// <summary>The hosted node: its web application and where its endpoints are.</summary>
    private sealed class Node(WebApplication app, Uri url) : IAsyncDisposable
    {
        public Uri Url { get; } = url;

        /// <summary>host:port, what Prometheus calls the target and puts in the instance label.</summary>
        public string MetricsTarget => $"{Url.Host}:{Url.Port}";

        /// <summary>What the node says about itself now (its /health and /metrics), for failure messages.</summary>
        public async Task<string> DescribeAsync()
        {
            using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
            try
            {
                return $"--- node /health ---\n{await http.GetStringAsync("health")}\n--- node /metrics ---\n{await http.GetStringAsync("metrics")}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return $"--- node ---\nunreachable: {ex.Message}";
            }
        }

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }

    private sealed class RunningPrometheus(ExternalServer server, Uri url) : IAsyncDisposable
    {
        private readonly HttpClient _http = new() { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };

        /// <summary>GET /api/v1/query: the result of an instant query (an array of series).</summary>
        public async Task<JsonElement> QueryAsync(string query) =>
            await GetDataAsync($"api/v1/query?query={Uri.EscapeDataString(query)}", "result");

        /// <summary>Polls <paramref name="query"/> until <paramref name="done"/> holds for its result.</summary>
        public Task<JsonElement> WaitForQueryAsync(string query, Func<JsonElement, bool> done, Stopwatch clock, Node node) =>
            WaitAsync($"'{query}' to satisfy the test", () => QueryAsync(query), done, clock, node);

        /// <summary>Polls GET /api/v1/alerts until the alert <paramref name="name"/> of this job is firing; returns it.</summary>
        public async Task<JsonElement> WaitForFiringAlertAsync(string name, Stopwatch clock, Node node)
        {
            JsonElement alerts = await WaitAsync(
                $"alert {name} to fire for job {Job}",
                () => GetDataAsync("api/v1/alerts", "alerts"),
                found => FiringAlert(found, name) is not null,
                clock,
                node);
            return FiringAlert(alerts, name)!.Value;
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await server.DisposeAsync();
        }

        private static JsonElement? FiringAlert(JsonElement alerts, string name)
        {
            foreach (JsonElement alert in alerts.EnumerateArray())
            {
                JsonElement labels = alert.GetProperty("labels");
                if (labels.TryGetProperty("alertname", out JsonElement alertname) && alertname.GetString() == name &&
                    labels.TryGetProperty("job", out JsonElement job) && job.GetString() == Job &&
                    alert.GetProperty("state").GetString() == "firing")
                {
                    return alert;
                }
            }
            return null;
        }

        private async Task<JsonElement> GetDataAsync(string path, string property)
        {
            string body = await _http.GetStringAsync(path);
            using JsonDocument document = JsonDocument.Parse(body);
            return document.RootElement.GetProperty("data").GetProperty(property).Clone();
        }

        private async Task<JsonElement> WaitAsync(
            string what, Func<Task<JsonElement>> poll, Func<JsonElement, bool> done, Stopwatch clock, Node node)
        {
            string last = "(no answer yet)";
            while (true)
            {
                try
                {
                    JsonElement answer = await poll();
                    last = answer.GetRawText();
                    if (done(answer))
                    {
                        return answer;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    last = $"(request failed: {ex.Message})";
                }

                if (clock.Elapsed >= Budget)
                {
                    string targets;
                    try
                    {
                        targets = (await GetDataAsync("api/v1/targets", "activeTargets")).GetRawText();
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        targets = $"(request failed: {ex.Message})";
                    }
                    Assert.Fail(
                        $"Waited {clock.Elapsed.TotalSeconds:0.0} s for {what}.\n--- last answer ---\n{last}\n--- targets ---\n{targets}\n" +
                        $"{await node.DescribeAsync()}\n--- prometheus output ---\n{server.Output}");
                }

                // Prometheus scrapes and evaluates every second; the budget bounds the polling.
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
    }
}
