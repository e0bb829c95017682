using Resilink.Health;

namespace Resilink.Cli.Demo;

/// <summary>
/// Turns the swarm's dialer-side changes into <see cref="DemoEvents"/>: every status change but the first
/// Unknown → Healthy (Degraded, Unhealthy, Dead, Healthy again), a failover when a connection leaves rotation while its
/// pair still has routable ones, and every replacement opened.
/// </summary>
internal static class DemoEventFeed
{
    /// <summary>Subscribes <paramref name="events"/> to <paramref name="swarm"/> for the rest of its life.</summary>
    public static void Attach(DemoSwarm swarm, DemoClock clock, DemoEvents events)
    {
        swarm.StatusChanged += (link, change) =>
        {
            if (!clock.IsStarted || change.Previous == HealthStatus.Unknown)
            {
                return; // the first verdict of a new connection is not news
            }
            var now = clock.Now;
            events.Add(now, change.Current.ToString(), $"{link.Name} (was {change.Previous}; {change.Reason})");
            if (change.Current is HealthStatus.Unhealthy or HealthStatus.Dead && change.Previous is not (HealthStatus.Unhealthy or HealthStatus.Dead))
            {
                var host = swarm.Hosts[link.Dialer].Host;
                var others = host.GetConnections(link.DialerSide.RemotePeer)
                    .Count(c => !c.IsClosed && !ReferenceEquals(c, link.DialerSide) && (host.HealthMonitor?.IsRoutable(c) ?? true));
                events.Add(now, "failover", $"h{link.Dialer}-h{link.Listener}: new streams go to {others} other connection{(others == 1 ? "" : "s")}");
            }
        };
        swarm.LinkOpened += link => events.Add(clock.Now, "replaced", $"{link.Name} opened by h{link.Dialer}");
    }
}
