using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Resilink.Alerting;
using Resilink.Hosting.Dashboard;
using Resilink.Net.Host;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the web dashboard of a hosted Resilink node.</summary>
public static class ResilinkDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the dashboard: the page at <c>/</c> and its files under <c>/dashboard/</c> (embedded in this assembly; the
    /// page loads nothing from elsewhere), <c>/api/dashboard/snapshot</c> (peers, connections, circuit breakers,
    /// alerts as JSON), <c>/api/dashboard/events</c> (the same as server-sent events: a snapshot every second while a
    /// dashboard is open, status, circuit and alert changes at once) and <c>/api/dashboard/history?connection=…&amp;minutes=…</c>
    /// (stored samples when an <see cref="Resilink.Hosting.History.IHealthHistory"/> is registered). Needs
    /// <c>services.AddResilink()</c>.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns><paramref name="app"/>, for chaining.</returns>
    public static WebApplication MapResilinkDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.Services;
        var time = services.GetRequiredService<TimeProvider>();
        var snapshots = new DashboardSnapshotBuilder(services.GetRequiredService<Libp2pHost>(), services.GetRequiredService<AlertManager>(), time);
        var hub = new DashboardEventHub(
            services.GetRequiredService<Libp2pHost>(), snapshots, time, services.GetRequiredService<ILogger<DashboardEventHub>>());
        services.GetRequiredService<AlertManager>().AddSink(hub);
        // Open event streams would hold up the shutdown until Kestrel's timeout: end them as it begins. The hub also
        // subscribed to the host's events: ApplicationStopped, and the container's disposal when the application never
        // started (no stopping then), let go of them. Dispose runs once however many of these fire.
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStopping.Register(hub.Dispose);
        lifetime.ApplicationStopped.Register(hub.Dispose);
        services.GetRequiredService<DashboardDisposables>().Add(hub);
        var assets = DashboardAssets.Load();

        app.MapGet("/", (HttpContext context) => assets.Serve(context, "index.html")).ExcludeFromDescription();
        app.MapGet("/dashboard/{file}", (HttpContext context, string file) => assets.Serve(context, file)).ExcludeFromDescription();
        app.MapGet("/api/dashboard/snapshot", () => DashboardEndpoints.Snapshot(hub));
        app.MapGet("/api/dashboard/events", (HttpContext context) => DashboardEndpoints.Events(context, hub));
        app.MapGet("/api/dashboard/history", (HttpContext context, string? connection, double? minutes) =>
            DashboardEndpoints.History(context, time, connection, minutes));
        return app;
    }
}
