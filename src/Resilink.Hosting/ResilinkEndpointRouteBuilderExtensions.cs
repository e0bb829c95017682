using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Resilink.Health;
using Resilink.Net.Host;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the HTTP endpoints of a hosted Resilink node.</summary>
public static class ResilinkEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>/metrics</c> (Prometheus text of the <c>Resilink</c> meter, scraped live), <c>/health</c> (the JSON health
    /// summary of every peer and connection), <c>/health/metrics</c> (the same summary as Prometheus text) and
    /// <c>/healthz</c> (the ASP.NET Core health checks, for load balancers and orchestrators).
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns><paramref name="app"/>, for chaining.</returns>
    public static WebApplication MapResilinkEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/health", (Libp2pHost host) => Results.Text(host.ExportHealthMetrics(HealthExportFormat.Json), "application/json"));
        app.MapGet("/health/metrics", (Libp2pHost host) =>
            Results.Text(host.ExportHealthMetrics(HealthExportFormat.Prometheus), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapHealthChecks("/healthz");
        return app;
    }
}
