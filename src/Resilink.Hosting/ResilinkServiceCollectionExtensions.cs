using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Resilink.Alerting;
using Resilink.Hosting;
using Resilink.Monitoring;
using Resilink.Net.Host;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a hosted Resilink node with dependency injection.</summary>
public static class ResilinkServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="Libp2pHost"/> singleton (reporting to every registered <see cref="IConnectionMonitor"/>,
    /// Resilink's metrics included), a hosted service that starts it, listens and keeps the configured peers connected,
    /// the <c>resilink</c> ASP.NET Core health check (<see cref="ResilinkHealthChecksServiceCollectionExtensions.AddResilinkHealthChecks"/>), and OpenTelemetry metrics and traces for the <c>Resilink</c> meter
    /// and activity source with a Prometheus exporter (served by <c>MapResilinkEndpoints</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">
    /// Sets the node's options; validated when the application starts (or the <see cref="Libp2pHost"/> is first
    /// resolved), which then throws an <see cref="OptionsValidationException"/> naming each bad setting.
    /// </param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddResilink(this IServiceCollection services, Action<ResilinkNodeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ResilinkNodeOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResilinkNodeOptions>, ResilinkNodeOptionsValidator>());

        services.AddResilinkTelemetry();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new Libp2pHost(
            ResilinkNodeIdentity.HostOptions(sp),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            new CompositeConnectionMonitor([.. sp.GetServices<IConnectionMonitor>()])));
        services.AddHostedService<ResilinkNodeService>();
        services.AddResilinkHealthChecks();
        services.AddHttpClient(AlertHttpClientName);
        services.TryAddSingleton(CreateAlertManager);
        services.TryAddSingleton(sp => new ServiceHealthMonitor(
            sp.GetRequiredService<AlertManager>(),
            sp.GetRequiredService<IOptions<ResilinkNodeOptions>>().Value.Alerting.ServiceHealth,
            sp.GetRequiredService<TimeProvider>(),
            logger: sp.GetRequiredService<ILogger<ServiceHealthMonitor>>()));
        services.AddHostedService<ResilinkAlertingService>();
        services.TryAddSingleton<Resilink.Hosting.Dashboard.DashboardDisposables>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("resilink", serviceVersion: typeof(ResilinkNodeOptions).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics => metrics.AddResilinkInstrumentation().AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(tracing => tracing.AddResilinkInstrumentation());
        return services;
    }

    /// <summary>
    /// <see cref="AddResilink(IServiceCollection, Action{ResilinkNodeOptions}?)"/> with the node's options bound from
    /// <paramref name="configuration"/> (typically <c>builder.Configuration.GetSection("Resilink")</c>), then
    /// <paramref name="configure"/>. Keys follow the option names (<c>Peers:0</c>, <c>Host:Health:EnableHealthMonitoring</c>,
    /// <c>Host:Connections:LoadBalancingStrategy</c> = <c>LatencyBased</c>, <c>PeerRetryInterval</c> = <c>00:00:05</c>);
    /// <c>ListenAddresses</c>, when present, replaces the default listen address instead of adding to it. A key that
    /// matches no option, or a value that does not convert, fails the start naming it, as does any invalid setting.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding the node's options.</param>
    /// <param name="configure">Further settings applied after binding, or null.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddResilink(
        this IServiceCollection services, IConfiguration configuration, Action<ResilinkNodeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddResilink(node =>
        {
            // A typo in a key must not pass silently as a default.
            configuration.Bind(node, binder => binder.ErrorOnUnknownConfiguration = true);
            var listen = configuration.GetSection(nameof(ResilinkNodeOptions.ListenAddresses));
            if (listen.Exists())
            {
                // The binder appends to a list that already has items; the configured addresses replace the default.
                node.ListenAddresses.Clear();
                foreach (var address in listen.GetChildren())
                {
                    if (address.Value is { } value)
                    {
                        node.ListenAddresses.Add(value);
                    }
                }
            }
            configure?.Invoke(node);
        });
    }

    private const string AlertHttpClientName = "resilink-alerts";

    private static AlertManager CreateAlertManager(IServiceProvider services)
    {
        var alerting = services.GetRequiredService<IOptions<ResilinkNodeOptions>>().Value.Alerting;
        var time = services.GetRequiredService<TimeProvider>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var manager = new AlertManager(alerting.AlertManager, time, loggers.CreateLogger<AlertManager>());
        manager.AddSink(new LoggerAlertSink(loggers.CreateLogger<LoggerAlertSink>()));
        var http = services.GetRequiredService<IHttpClientFactory>();
        if (alerting.AlertmanagerUrl is { } alertmanager)
        {
            var sink = new AlertmanagerAlertSink(http.CreateClient(AlertHttpClientName), new AlertmanagerAlertSinkOptions { BaseAddress = alertmanager }, time, loggers.CreateLogger<AlertmanagerAlertSink>());
            manager.AddSink(sink, alerting.MinimumRemoteLevel);
        }
        if (alerting.WebhookUrl is { } webhook)
        {
            var sink = new WebhookAlertSink(http.CreateClient(AlertHttpClientName), new WebhookAlertSinkOptions { Url = webhook }, time, loggers.CreateLogger<WebhookAlertSink>());
            manager.AddSink(sink, alerting.MinimumRemoteLevel);
        }
        return manager;
    }
}
