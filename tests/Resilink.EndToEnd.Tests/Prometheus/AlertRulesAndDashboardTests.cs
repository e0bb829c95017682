using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Resilink.EndToEnd.Tests.Support;

namespace Resilink.EndToEnd.Tests.Prometheus;

// deploy/prometheus (alert rules and their promtool unit tests), deploy/alertmanager (the inhibit rule) and
// deploy/grafana (the dashboard), checked with the real promtool and amtool from Debian's prometheus and
// prometheus-alertmanager packages.
public partial class AlertRulesAndDashboardTests
{
    private static readonly string[] DashboardRows = ["Connection overview", "Performance", "Pool & circuit breakers", "Peers", "Health", "Recovery"];

    // ---- alert rules ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task CheckRules_AlertRules_Pass()
    {
        CommandLineTool.Result result = await PromtoolAsync(["check", "rules", DeployFiles.AlertRules]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task TestRules_UnitTests_AllPass()
    {
        CommandLineTool.Result result = await PromtoolAsync(["test", "rules", .. DeployFiles.AlertRuleTests()]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    // Proves the harness can fail: an expectation that contradicts the rules (0 peers for 10 minutes and no
    // isolation alert) must make promtool exit non-zero and name the alert.
    [Fact]
    public async Task TestRules_WrongExpectation_Fails()
    {
        using var temp = new TempDirectory("resilink-promtool-");
        string testFile = temp.File("wrong.yml");
        await File.WriteAllTextAsync(testFile, $$"""
            rule_files:
              - {{JsonSerializer.Serialize(DeployFiles.AlertRules)}}
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'resilink_peers_connected{job="resilink",instance="node-a:9464"}'
                    values: '0x10'
                alert_rule_test:
                  - eval_time: 10m
                    alertname: ResilinkPeersIsolated
                    exp_alerts: []
            """);

        CommandLineTool.Result result = await PromtoolAsync(["test", "rules", testFile]);

        Assert.True(result.ExitCode != 0, $"promtool accepted a wrong expectation:\n{result}");
        Assert.Contains("ResilinkPeersIsolated", result.Output, StringComparison.Ordinal);
    }

    // promtool only runs the tests that exist: every rule needs a firing case (with its labels and annotations)
    // and a silent case. The test files put exp_alerts right after alertname.
    [Fact]
    public void UnitTests_EveryAlertRule_HasFiringAndSilentCases()
    {
        List<string> alerts = AlertNames(File.ReadAllText(DeployFiles.AlertRules));
        var firing = new HashSet<string>(StringComparer.Ordinal);
        var silent = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in DeployFiles.AlertRuleTests())
        {
            foreach (Match match in AlertRuleTestPattern().Matches(File.ReadAllText(file)))
            {
                (match.Groups["empty"].Success ? silent : firing).Add(match.Groups["name"].Value);
            }
        }

        Assert.Equal(11, alerts.Count);
        Assert.Empty(alerts.Except(firing));
        Assert.Empty(alerts.Except(silent));
        Assert.Empty(firing.Union(silent).Except(alerts));
    }

    [Fact]
    public void AlertRulesAndUnitTests_UseOnlyResilinkMeterMetrics()
    {
        foreach (string file in DeployFiles.AlertRuleTests().Prepend(DeployFiles.AlertRules))
        {
            // resilink_health_* is the on-demand health export, which the rules name only to exclude it.
            List<string> unknown = ResilinkMetricNames.UnknownIn(File.ReadAllText(file))
                .Where(name => !name.StartsWith("resilink_health_", StringComparison.Ordinal))
                .ToList();

            Assert.True(unknown.Count == 0, $"{file} uses metric names the Resilink meter does not produce: {string.Join(", ", unknown)}");
        }
    }

    [Fact]
    public async Task AlertmanagerConfig_CheckConfig_PassesAndInhibitsExistingAlerts()
    {
        CommandLineTool.Result result = await CommandLineTool.RunAsync(
            "amtool", "prometheus-alertmanager", ["check-config", DeployFiles.AlertmanagerConfig], DeployFiles.RepositoryRoot);
        Assert.True(result.ExitCode == 0, result.ToString());

        List<string> alerts = AlertNames(File.ReadAllText(DeployFiles.AlertRules));
        string config = File.ReadAllText(DeployFiles.AlertmanagerConfig);
        Assert.Contains("source_matchers: [alertname=\"ResilinkPeersIsolated\"]", config, StringComparison.Ordinal);
        Assert.Contains("target_matchers: [alertname=\"ResilinkPeersBelowMinimum\"]", config, StringComparison.Ordinal);
        Assert.All(AlertnameMatcherPattern().Matches(config), m => Assert.Contains(m.Groups[1].Value, alerts));
    }

    // ---- dashboard ------------------------------------------------------------------------------------------------

    [Fact]
    public void Dashboard_IsGrafanaJson_WithRowsAndVariables()
    {
        using JsonDocument document = ReadDashboard();
        JsonElement root = document.RootElement;

        Assert.InRange(root.GetProperty("schemaVersion").GetInt32(), 36, 41);
        Assert.Equal("resilink", root.GetProperty("uid").GetString());
        Assert.Contains(root.GetProperty("__inputs").EnumerateArray(), i => i.GetProperty("name").GetString() == "DS_PROMETHEUS");

        JsonElement[] variables = root.GetProperty("templating").GetProperty("list").EnumerateArray().ToArray();
        JsonElement datasource = Assert.Single(variables, v => v.GetProperty("name").GetString() == "DS_PROMETHEUS");
        Assert.Equal("datasource", datasource.GetProperty("type").GetString());
        Assert.Equal("prometheus", datasource.GetProperty("query").GetString());
        foreach (string name in new[] { "job", "instance" })
        {
            JsonElement variable = Assert.Single(variables, v => v.GetProperty("name").GetString() == name);
            Assert.Equal("query", variable.GetProperty("type").GetString());
            AssertPrometheusDatasource(variable, $"variable {name}");
            string query = variable.GetProperty("definition").GetString() ?? "";
            Assert.StartsWith("label_values(", query, StringComparison.Ordinal);
            Assert.Empty(ResilinkMetricNames.UnknownIn(query));
        }

        string[] rows = AllPanels(root).Where(IsRow).Select(p => p.GetProperty("title").GetString() ?? "").ToArray();
        Assert.Equal(DashboardRows, rows);
        int[] ids = AllPanels(root).Select(p => p.GetProperty("id").GetInt32()).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Dashboard_EveryPanel_HasDatasourceAndTargets()
    {
        using JsonDocument document = ReadDashboard();
        JsonElement[] panels = AllPanels(document.RootElement).Where(p => !IsRow(p)).ToArray();

        Assert.True(panels.Length >= 15, $"Only {panels.Length} panels.");
        foreach (JsonElement panel in panels)
        {
            string title = panel.GetProperty("title").GetString() ?? "";
            Assert.False(string.IsNullOrWhiteSpace(title), "A panel without a title.");
            AssertPrometheusDatasource(panel, title);
            Assert.True(panel.TryGetProperty("targets", out JsonElement targets) && targets.GetArrayLength() > 0, $"Panel '{title}' has no target.");
            foreach (JsonElement target in targets.EnumerateArray())
            {
                Assert.False(string.IsNullOrWhiteSpace(target.GetProperty("expr").GetString()), $"Panel '{title}' has a target without an expr.");
                AssertPrometheusDatasource(target, $"a target of '{title}'");
            }
        }

        // The RTT heatmap is drawn from the histogram buckets.
        JsonElement heatmap = Assert.Single(panels, p => p.GetProperty("type").GetString() == "heatmap");
        JsonElement heatmapTarget = Assert.Single(heatmap.GetProperty("targets").EnumerateArray());
        Assert.Equal("heatmap", heatmapTarget.GetProperty("format").GetString());
        Assert.Contains("resilink_connection_rtt_seconds_bucket", heatmapTarget.GetProperty("expr").GetString(), StringComparison.Ordinal);
    }

    // Each expr may only use the Resilink meter's series, and every selector of one filters by the job and
    // instance variables, so the whole dashboard follows the variables.
    [Fact]
    public void Dashboard_Expressions_UseOnlyResilinkMetricsFilteredByJobAndInstance()
    {
        using JsonDocument document = ReadDashboard();
        var problems = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string where, string expr) in DashboardExpressions(document.RootElement))
        {
            IReadOnlyList<string> unknown = ResilinkMetricNames.UnknownIn(expr);
            if (unknown.Count > 0)
            {
                problems.Add($"{where}: unknown metric(s) {string.Join(", ", unknown)} in {expr}");
            }

            foreach (Match selector in SelectorPattern().Matches(expr))
            {
                string matchers = selector.Groups["matchers"].Value;
                if (!matchers.Contains("job=~\"$job\"", StringComparison.Ordinal) || !matchers.Contains("instance=~\"$instance\"", StringComparison.Ordinal))
                {
                    problems.Add($"{where}: {selector.Value} does not filter by job=~\"$job\" and instance=~\"$instance\"");
                }
            }

            used.UnionWith(ResilinkMetricNames.NamesIn(expr));
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Contains("resilink_connection_rtt_seconds_bucket", used);
        Assert.Contains("resilink_peers_connected", used);
    }

    // promtool has no offline "parse this query", but check rules parses every rule's expr: each dashboard expr,
    // with Grafana's variables replaced, becomes a recording rule.
    [Fact]
    public async Task Dashboard_Expressions_ParseWithPromtool()
    {
        using JsonDocument document = ReadDashboard();
        string[] expressions = DashboardExpressions(document.RootElement).Select(e => e.Expr).ToArray();
        using var temp = new TempDirectory("resilink-dashboard-");

        CommandLineTool.Result result = await CheckExpressionsAsync(temp, expressions);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"SUCCESS: {expressions.Length} rules found", result.Output, StringComparison.Ordinal);
    }

    // Proves the two dashboard checks above can fail.
    [Fact]
    public async Task DashboardChecks_BadExpressions_AreReported()
    {
        Assert.Equal(
            ["resilink_peers_conected", "resilink_connection_rtt_seconds"],
            ResilinkMetricNames.UnknownIn("resilink_peers_conected + histogram_quantile(0.9, resilink_connection_rtt_seconds) + resilink_streams_total"));
        Assert.Empty(ResilinkMetricNames.UnknownIn("rate(resilink_message_size_bytes_count[5m]) and not_resilink_x"));

        using var temp = new TempDirectory("resilink-dashboard-");
        CommandLineTool.Result result = await CheckExpressionsAsync(temp, ["sum by (le) (rate(resilink_streams_total{job=~\"$job\"}[$__rate_interval])"]);

        Assert.True(result.ExitCode != 0, $"promtool accepted an unbalanced expression:\n{result}");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static Task<CommandLineTool.Result> PromtoolAsync(IReadOnlyList<string> arguments) =>
        CommandLineTool.RunAsync("promtool", "prometheus", arguments, DeployFiles.RepositoryRoot);

    private static List<string> AlertNames(string rules) =>
        AlertPattern().Matches(rules).Select(m => m.Groups[1].Value).ToList();

    private static JsonDocument ReadDashboard()
    {
        string json = File.ReadAllText(DeployFiles.Dashboard);
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            Assert.Fail($"{DeployFiles.Dashboard} is not valid JSON: {e.Message}");
            throw;
        }
    }

    private static bool IsRow(JsonElement panel) => panel.GetProperty("type").GetString() == "row";

    // Top-level panels and, for collapsed rows, the panels inside them.
    private static IEnumerable<JsonElement> AllPanels(JsonElement dashboard)
    {
        foreach (JsonElement panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out JsonElement nested))
            {
                foreach (JsonElement inner in nested.EnumerateArray())
                {
                    yield return inner;
                }
            }
        }
    }

    private static IEnumerable<(string Where, string Expr)> DashboardExpressions(JsonElement dashboard)
    {
        foreach (JsonElement panel in AllPanels(dashboard).Where(p => !IsRow(p)))
        {
            foreach (JsonElement target in panel.GetProperty("targets").EnumerateArray())
            {
                yield return ($"panel '{panel.GetProperty("title").GetString()}'", target.GetProperty("expr").GetString() ?? "");
            }
        }

        foreach (JsonElement annotation in dashboard.GetProperty("annotations").GetProperty("list").EnumerateArray())
        {
            if (annotation.TryGetProperty("expr", out JsonElement expr))
            {
                yield return ($"annotation '{annotation.GetProperty("name").GetString()}'", expr.GetString() ?? "");
            }
        }
    }

    private static void AssertPrometheusDatasource(JsonElement element, string where)
    {
        Assert.True(element.TryGetProperty("datasource", out JsonElement datasource), $"{where} has no datasource.");
        Assert.True(datasource.ValueKind == JsonValueKind.Object, $"{where}: datasource is not an object.");
        Assert.Equal("prometheus", datasource.GetProperty("type").GetString());
        Assert.Equal("${DS_PROMETHEUS}", datasource.GetProperty("uid").GetString());
    }

    private static async Task<CommandLineTool.Result> CheckExpressionsAsync(TempDirectory temp, string[] expressions)
    {
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < expressions.Length; i++)
        {
            // A JSON string is a valid YAML double-quoted scalar.
            rules.Append("      - record: dashboard_expr_").Append(i).Append('\n')
                 .Append("        expr: ").Append(JsonSerializer.Serialize(WithGrafanaVariablesReplaced(expressions[i]))).Append('\n');
        }

        string file = temp.File("dashboard-rules.yml");
        await File.WriteAllTextAsync(file, rules.ToString());
        return await PromtoolAsync(["check", "rules", file]);
    }

    // $__rate_interval / $__interval / $__range become durations, template variables a regex matching anything.
    private static string WithGrafanaVariablesReplaced(string expr) =>
        GrafanaVariablePattern().Replace(expr, m => m.Groups[1].Value switch
        {
            "__rate_interval" => "5m",
            "__interval" => "1m",
            "__range" => "1h",
            _ => ".+",
        });

    [GeneratedRegex(@"^\s*- alert:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AlertPattern();

    [GeneratedRegex(@"alertname:\s*(?<name>\S+)\s*\n\s*exp_alerts:[ \t]*(?<empty>\[\])?")]
    private static partial Regex AlertRuleTestPattern();

    [GeneratedRegex("alertname=\"([^\"]+)\"")]
    private static partial Regex AlertnameMatcherPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9_:])resilink_[A-Za-z0-9_:]+(?<matchers>\{[^}]*\})?")]
    private static partial Regex SelectorPattern();

    [GeneratedRegex(@"\$\{?(\w+)\}?")]
    private static partial Regex GrafanaVariablePattern();
}
