using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
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
    /// the <c>resilink</c> ASP.NET Core health check, and OpenTelemetry metrics and traces for the <c>Resilink</c> meter
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
            sp.GetRequiredService<IOptions<ResilinkNodeOptions>>().Value.Host,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            new CompositeConnectionMonitor([.. sp.GetServices<IConnectionMonitor>()])));
        services.AddHostedService<ResilinkNodeService>();
        services.AddHealthChecks().AddCheck<ResilinkHealthCheck>("resilink");
        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddResilinkInstrumentation().AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(tracing => tracing.AddResilinkInstrumentation());
        return services;
    }
}
