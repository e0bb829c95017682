using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Resilink.Alerting;
using Resilink.EndToEnd.Tests.Support;
using Resilink.Hosting;
using Resilink.Hosting.Dashboard;
using Resilink.Hosting.History;
using Resilink.Hosting.Prometheus;
using Resilink.Monitoring;
using Resilink.Tests.Shared;

namespace Resilink.EndToEnd.Tests.Hosting;

/// <summary>
/// <c>services.AddResilink()</c> registers the node and nothing else: the application's OpenTelemetry (resource,
/// providers, exporters) stays as the application set it up, and each further part comes only with its opt-in.
/// </summary>
[Collection(nameof(InProcessMetricsGroup))]
public sealed class AddResilinkGuestTests
{
    [Fact]
    public async Task AddResilink_AppWithItsOwnOpenTelemetry_KeepsItsServiceNameAndVersionAndGetsTheResilinkMeter()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var directory = new TempDirectory("guest-");
        var exported = new List<Metric>();
        var builder = HostedApp.CreateBuilder();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("orders-api", serviceVersion: "9.9.9"))
            .WithMetrics(metrics => metrics.AddResilinkInstrumentation().AddInMemoryExporter(exported));
        var (peer, address) = await HostedApp.StartPeerAsync(timeout.Token);
        await using var _ = peer;
        builder.Services.AddResilink(node => node.Peers.Add(address))
            .AddAlerting().AddDashboard().AddHistory(h => h.DataDirectory = directory.Path).AddPrometheusEndpoint();
        await using var app = builder.Build();
        app.MapResilinkPrometheusEndpoint();
        await app.StartAsync(timeout.Token);

        var provider = app.Services.GetRequiredService<MeterProvider>();
        var attributes = provider.GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);
        Assert.Equal("orders-api", attributes["service.name"]);
        Assert.Equal("9.9.9", attributes["service.version"]);
        // The app's own provider, with the app's own exporter, gets the Resilink meter it asked for.
        await Poll.UntilAsync(
            () => provider.ForceFlush(5000) && exported.Any(m => m.MeterName == "Resilink" && m.Name == "resilink.peers.connected"),
            TimeSpan.FromMilliseconds(100),
            () => $"exported: {string.Join(", ", exported.Select(m => m.Name).Distinct())}",
            timeout.Token);
        await app.StopAsync(timeout.Token);
    }

    [Fact]
    public void AddResilink_WithoutOptIns_RegistersNoTelemetryProviderNoExporterAndNoOptionalPart()
    {
        var builder = HostedApp.CreateBuilder();
        builder.Services.AddResilink();
        using var app = builder.Build();

        Assert.Null(app.Services.GetService<MeterProvider>());
        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<ResilinkPrometheusMetrics>());
        Assert.Null(app.Services.GetService<AlertManager>());
        Assert.Null(app.Services.GetService<DashboardEventHub>());
        Assert.Null(app.Services.GetService<IHealthHistory>());
        Assert.Null(app.Services.GetService<HealthCheckService>());
        Assert.Equal(
            [typeof(ResilinkNodeService)],
            app.Services.GetServices<IHostedService>().Select(s => s.GetType()).Where(t => t.Namespace!.StartsWith("Resilink", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AddPrometheusEndpoint_ServesTheResilinkMeterWithoutGivingTheAppAMeterProvider()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var builder = HostedApp.CreateBuilder();
        var (peer, address) = await HostedApp.StartPeerAsync(timeout.Token);
        await using var _ = peer;
        builder.Services.AddResilink(node => node.Peers.Add(address)).AddPrometheusEndpoint();
        await using var app = builder.Build();
        app.MapResilinkPrometheusEndpoint();
        using var http = await HostedApp.StartAsync(app, timeout.Token);

        await HostedApp.PollUntilContainsAsync(http, "metrics", "resilink_peers_connected", timeout.Token);

        Assert.Null(app.Services.GetService<MeterProvider>());
        await app.StopAsync(timeout.Token);
    }

    [Fact]
    public void AddAlerting_RegistersTheAlertManagerSelfCheckAndConnectionAlertsWithItsSettings()
    {
        var builder = HostedApp.CreateBuilder();
        builder.Services.AddResilink().AddAlerting(alerting => alerting.WebhookUrl = new Uri("http://127.0.0.1:1/hook"));
        using var app = builder.Build();

        Assert.NotNull(app.Services.GetService<AlertManager>());
        Assert.NotNull(app.Services.GetService<ServiceHealthMonitor>());
        Assert.Contains(app.Services.GetServices<IHostedService>(), s => s is ResilinkAlertingService);
        Assert.Equal(new Uri("http://127.0.0.1:1/hook"), app.Services.GetRequiredService<IOptions<ResilinkNodeOptions>>().Value.Alerting.WebhookUrl);
    }

    [Fact]
    public void AddDashboardAndAddHistory_BringTheAlertingWhoseAlertsTheyShowAndStore()
    {
        var builder = HostedApp.CreateBuilder();
        builder.Services.AddResilink().AddDashboard().AddHistory();
        using var app = builder.Build();

        Assert.NotNull(app.Services.GetService<DashboardEventHub>());
        Assert.NotNull(app.Services.GetService<IHealthHistory>());
        Assert.NotNull(app.Services.GetService<AlertManager>());
        Assert.Single(app.Services.GetServices<IHostedService>(), s => s is ResilinkAlertingService);
    }

    [Fact]
    public void Map_WithoutItsOptIn_ThrowsNamingTheMissingCall()
    {
        var builder = HostedApp.CreateBuilder();
        builder.Services.AddResilink();
        using var app = builder.Build();

        var dashboard = Assert.Throws<InvalidOperationException>(() => app.MapResilinkDashboard());
        var prometheus = Assert.Throws<InvalidOperationException>(() => app.MapResilinkPrometheusEndpoint());

        Assert.Contains("AddDashboard()", dashboard.Message, StringComparison.Ordinal);
        Assert.Contains("AddPrometheusEndpoint()", prometheus.Message, StringComparison.Ordinal);
    }
}
