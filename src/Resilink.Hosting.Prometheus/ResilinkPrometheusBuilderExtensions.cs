using Microsoft.Extensions.DependencyInjection.Extensions;
using Resilink.Hosting.Prometheus;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The Prometheus opt-in of <see cref="IResilinkBuilder"/>.</summary>
public static class ResilinkPrometheusBuilderExtensions
{
    /// <summary>
    /// Exports the metrics of the <c>Resilink</c> meter for Prometheus, served by <c>MapResilinkPrometheusEndpoint()</c>.
    /// They go through a meter provider of Resilink's own (created when the endpoint is mapped, before the node
    /// starts, so no early count is missed), so the application's
    /// OpenTelemetry setup, its resource and its exporters are left as they are. Once however often it is called.
    /// </summary>
    /// <param name="builder">The builder from <c>AddResilink</c>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IResilinkBuilder AddPrometheusEndpoint(this IResilinkBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<ResilinkPrometheusMetrics>();
        return builder;
    }
}
