using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Resilink.Hosting.Prometheus;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Prometheus scraping endpoint of a hosted Resilink node.</summary>
public static class ResilinkPrometheusEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <paramref name="pattern"/> (default <c>/metrics</c>) to the Prometheus text of the <c>Resilink</c> meter,
    /// read at each scrape. Under a prefix with <c>app.MapGroup("/ops").MapResilinkPrometheusEndpoint()</c>. Needs
    /// <c>services.AddResilink().AddPrometheusEndpoint()</c>.
    /// </summary>
    /// <param name="endpoints">The application, or a route group.</param>
    /// <param name="pattern">The path of the endpoint. Default: <c>/metrics</c>.</param>
    /// <returns>The endpoint's convention builder, for <c>RequireAuthorization()</c> and other conventions.</returns>
    /// <exception cref="InvalidOperationException"><c>AddPrometheusEndpoint()</c> was not called.</exception>
    public static IEndpointConventionBuilder MapResilinkPrometheusEndpoint(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var metrics = endpoints.ServiceProvider.GetService<ResilinkPrometheusMetrics>()
            ?? throw new InvalidOperationException("MapResilinkPrometheusEndpoint needs services.AddResilink().AddPrometheusEndpoint().");
        return endpoints.MapPrometheusScrapingEndpoint(pattern, metrics.MeterProvider, configureBranchedPipeline: null!, optionsName: null!);
    }
}
