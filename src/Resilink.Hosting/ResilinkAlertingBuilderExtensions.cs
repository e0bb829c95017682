using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilink.Alerting;
using Resilink.Hosting;
using Resilink.Monitoring;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The alerting opt-in of <see cref="IResilinkBuilder"/>.</summary>
public static class ResilinkAlertingBuilderExtensions
{
    private const string AlertHttpClientName = "resilink-alerts";

    /// <summary>
    /// Registers the node's alerting: an <see cref="AlertManager"/> singleton that logs every alert and posts warnings
    /// and worse to the Alertmanager and webhook of <see cref="ResilinkNodeOptions.Alerting"/> when set, the node's
    /// self-check (<see cref="ServiceHealthMonitor"/> over the <c>resilink</c> health rules with the default
    /// <see cref="ResilinkHealthCheckOptions"/>, which <c>services.Configure&lt;ResilinkHealthCheckOptions&gt;(…)</c>
    /// changes), and alerts for connections that turn Unhealthy or Dead. Once however
    /// often it is called; <c>AddDashboard()</c> and <c>AddHistory()</c> call it, since they show and store its alerts.
    /// </summary>
    /// <param name="builder">The builder from <c>AddResilink</c>.</param>
    /// <param name="configure">Changes <see cref="ResilinkNodeOptions.Alerting"/>, or null.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IResilinkBuilder AddAlerting(this IResilinkBuilder builder, Action<ResilinkAlertingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (configure is not null)
        {
            services.Configure<ResilinkNodeOptions>(node => configure(node.Alerting));
        }
        if (services.Any(d => d.ServiceType == typeof(AlertManager)))
        {
            return builder; // registered by an earlier call; this one only adds its settings
        }
        ResilinkHealthCheckRegistration.AddCheckServices(services, Microsoft.Extensions.Options.Options.DefaultName);
        services.AddHttpClient(AlertHttpClientName);
        services.TryAddSingleton(CreateAlertManager);
        services.TryAddSingleton(sp => new ServiceHealthMonitor(
            sp.GetRequiredService<AlertManager>(),
            sp.GetRequiredService<IOptions<ResilinkNodeOptions>>().Value.Alerting.ServiceHealth,
            sp.GetRequiredService<TimeProvider>(),
            logger: sp.GetRequiredService<ILogger<ServiceHealthMonitor>>()));
        services.AddHostedService(sp => new ResilinkAlertingService(
            sp.GetRequiredService<Resilink.Net.Host.Libp2pHost>(),
            sp.GetRequiredService<ServiceHealthMonitor>(),
            ResilinkHealthCheckRegistration.CreateCheck(sp, Microsoft.Extensions.Options.Options.DefaultName),
            sp.GetRequiredService<IOptions<ResilinkNodeOptions>>()));
        return builder;
    }

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
