using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Resilink.Health;
using Resilink.Net.Host;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the HTTP endpoints of a hosted Resilink node.</summary>
public static class ResilinkEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>/health</c> (the JSON health summary of every peer and connection) and <c>/health/metrics</c> (the same
    /// summary as Prometheus text). Under a prefix with <c>app.MapGroup("/ops").MapResilinkEndpoints()</c>. The ASP.NET
    /// Core health checks are the application's own <c>app.MapHealthChecks("/healthz")</c>; Prometheus metrics of the
    /// <c>Resilink</c> meter are <c>MapResilinkPrometheusEndpoint()</c> from the Resilink.Hosting.Prometheus package.
    /// </summary>
    /// <param name="endpoints">The application, or a route group.</param>
    /// <returns>The route group of these endpoints, for <c>RequireAuthorization()</c> and other conventions.</returns>
    public static IEndpointConventionBuilder MapResilinkEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(string.Empty);
        group.MapGet("/health", (Libp2pHost host) => Results.Text(host.ExportHealthMetrics(HealthExportFormat.Json), "application/json"));
        group.MapGet("/health/metrics", (Libp2pHost host) =>
            Results.Text(host.ExportHealthMetrics(HealthExportFormat.Prometheus), "text/plain; version=0.0.4; charset=utf-8"));
        return group;
    }
}
