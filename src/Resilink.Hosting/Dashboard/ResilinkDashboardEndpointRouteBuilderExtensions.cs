using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Resilink.Hosting.Dashboard;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the web dashboard of a hosted Resilink node.</summary>
public static class ResilinkDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the dashboard: the page at <c>/</c> and its files under <c>/dashboard/</c> (embedded in this assembly; the
    /// page loads nothing from elsewhere), <c>/api/dashboard/snapshot</c> (peers, connections, circuit breakers,
    /// alerts as JSON), <c>/api/dashboard/events</c> (the same as server-sent events: a snapshot every second while a
    /// dashboard is open, status, circuit and alert changes at once) and <c>/api/dashboard/history?connection=…&amp;minutes=…</c>
    /// (stored samples when an <see cref="Resilink.Hosting.History.IHealthHistory"/> is registered). The page uses
    /// relative URLs, so it also works under a prefix: <c>app.MapGroup("/ops").MapResilinkDashboard()</c> serves it at
    /// <c>/ops/</c>. Needs <c>services.AddResilink().AddDashboard()</c>.
    /// </summary>
    /// <param name="endpoints">The application, or a route group.</param>
    /// <returns>The route group of the dashboard's endpoints, for <c>RequireAuthorization()</c> and other conventions.</returns>
    /// <exception cref="InvalidOperationException"><c>AddDashboard()</c> was not called.</exception>
    public static IEndpointConventionBuilder MapResilinkDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var hub = services.GetService<DashboardEventHub>()
            ?? throw new InvalidOperationException("MapResilinkDashboard needs services.AddResilink().AddDashboard().");
        // Open event streams would hold up the shutdown until Kestrel's timeout: end them as it begins. Dispose runs
        // once however many of these fire (the container disposes the hub too).
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStopping.Register(hub.Dispose);
        lifetime.ApplicationStopped.Register(hub.Dispose);
        var assets = services.GetRequiredService<DashboardAssets>();
        var time = services.GetRequiredService<TimeProvider>();

        var group = endpoints.MapGroup(string.Empty);
        group.MapGet("/", (HttpContext context) => ServePage(context, assets)).ExcludeFromDescription();
        group.MapGet("/dashboard/{file}", (HttpContext context, string file) => assets.Serve(context, file)).ExcludeFromDescription();
        group.MapGet("/api/dashboard/snapshot", () => DashboardEndpoints.Snapshot(hub));
        group.MapGet("/api/dashboard/events", (HttpContext context) => DashboardEndpoints.Events(context, hub));
        group.MapGet("/api/dashboard/history", (HttpContext context, string? connection, double? minutes) =>
            DashboardEndpoints.History(context, time, connection, minutes));
        return group;
    }

    // The page's URLs are relative to it: under a prefix it must be loaded as /ops/, not /ops (where they would
    // resolve against the parent), so the latter is redirected.
    private static IResult ServePage(HttpContext context, DashboardAssets assets)
    {
        var request = context.Request;
        var path = request.PathBase + request.Path;
        return path.Value is { } value && !value.EndsWith('/')
            ? Results.Redirect(value + "/" + request.QueryString)
            : assets.Serve(context, "index.html");
    }
}
