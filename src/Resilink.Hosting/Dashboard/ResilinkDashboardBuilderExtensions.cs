using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Resilink.Alerting;
using Resilink.Hosting.Dashboard;
using Resilink.Net.Host;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The dashboard opt-in of <see cref="IResilinkBuilder"/>.</summary>
public static class ResilinkDashboardBuilderExtensions
{
    /// <summary>
    /// Registers what <c>MapResilinkDashboard()</c> serves: the dashboard's snapshots and live events of the node, and
    /// the node's alerting (<c>AddAlerting()</c>), whose alerts the dashboard shows. Its stored history shows when
    /// <c>AddHistory()</c> is also called. Once however often it is called.
    /// </summary>
    /// <param name="builder">The builder from <c>AddResilink</c>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IResilinkBuilder AddDashboard(this IResilinkBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAlerting();
        var services = builder.Services;
        services.TryAddSingleton(_ => DashboardAssets.Load());
        services.TryAddSingleton(sp => new DashboardSnapshotBuilder(
            sp.GetRequiredService<Libp2pHost>(), sp.GetRequiredService<AlertManager>(), sp.GetRequiredService<TimeProvider>()));
        // A singleton of the container: disposed with it, so the hub lets go of the host's events even when the
        // application never started (and so never raised ApplicationStopping), e.g. because its port was taken.
        services.TryAddSingleton(sp =>
        {
            var hub = new DashboardEventHub(
                sp.GetRequiredService<Libp2pHost>(),
                sp.GetRequiredService<DashboardSnapshotBuilder>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<DashboardEventHub>>());
            sp.GetRequiredService<AlertManager>().AddSink(hub);
            return hub;
        });
        return builder;
    }
}
