using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Resilink.Monitoring;
using Resilink.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Resilink's metrics with dependency injection.</summary>
public static class ResilinkTelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ResilinkInstruments"/> (its meter created by the <see cref="IMeterFactory"/> that
    /// <c>AddMetrics()</c> registers), <see cref="MetricsConnectionMonitor"/>, and that monitor as an
    /// <see cref="IConnectionMonitor"/> (added to any others, once however often this is called). Uses a registered
    /// <see cref="TimeProvider"/> if there is one. Export is the application's choice, e.g.
    /// <c>services.AddOpenTelemetry().WithMetrics(m =&gt; m.AddResilinkInstrumentation().AddOtlpExporter())</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes to the default <see cref="ResilinkTelemetryOptions"/>, or null.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddResilinkTelemetry(this IServiceCollection services, Action<ResilinkTelemetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddMetrics();
        OptionsBuilder<ResilinkTelemetryOptions> options = services.AddOptions<ResilinkTelemetryOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(sp => new ResilinkInstruments(sp.GetRequiredService<IMeterFactory>()));
        services.TryAddSingleton(sp => new MetricsConnectionMonitor(
            sp.GetRequiredService<ResilinkInstruments>(),
            sp.GetRequiredService<IOptions<ResilinkTelemetryOptions>>().Value,
            sp.GetService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnectionMonitor, MetricsConnectionMonitor>(
            sp => sp.GetRequiredService<MetricsConnectionMonitor>()));
        return services;
    }
}
