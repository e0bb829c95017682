using Resilink.Health;

namespace Resilink.Cli.Demo;

/// <summary>
/// One step of the schedule as it ran: on which connection, when it was injected, and when the dialer's health
/// monitoring first noticed it (the status it expects: Degraded or worse for latency, Unhealthy or Dead for a black hole,
/// Dead or closed for a reset, Healthy for the recovery).
/// </summary>
internal sealed class FaultRecord(FaultStep step, DemoLink link, TimeSpan injectedAt, string? skipped)
{
    private readonly Lock _gate = new();

    /// <summary>The scheduled step.</summary>
    public FaultStep Step { get; } = step;

    /// <summary>The connection it hit.</summary>
    public DemoLink Link { get; } = link;

    /// <summary>When it was applied.</summary>
    public TimeSpan InjectedAt { get; } = injectedAt;

    /// <summary>Why it was not applied (the connection had closed already), or null.</summary>
    public string? Skipped { get; } = skipped;

    /// <summary>When the dialer noticed, or null.</summary>
    public TimeSpan? DetectedAt { get; private set; }

    /// <summary>What it noticed: the status, or <c>closed</c>.</summary>
    public string? DetectedAs { get; private set; }

    /// <summary>When the replacement of the connection opened, or null.</summary>
    public TimeSpan? ReplacedAt { get; private set; }

    /// <summary>Records a status change of the dialer's end; the first one that shows the fault counts.</summary>
    public bool Observe(HealthStatus status, TimeSpan at)
    {
        var shows = Step.Kind switch
        {
            FaultKind.Latency => status is HealthStatus.Degraded or HealthStatus.Unhealthy or HealthStatus.Dead,
            FaultKind.BlackHole => status is HealthStatus.Unhealthy or HealthStatus.Dead,
            FaultKind.Reset => status == HealthStatus.Dead,
            FaultKind.Recovery => status == HealthStatus.Healthy,
            _ => false,
        };
        return shows && Detect(status.ToString(), at);
    }

    /// <summary>Records that the dialer saw the connection close: that shows every fault but the recovery.</summary>
    public bool ObserveClosed(TimeSpan at) => Step.Kind != FaultKind.Recovery && Detect("closed", at);

    /// <summary>Records the replacement of the faulted connection; false if one was recorded already (the first counts).</summary>
    public bool TryObserveReplaced(TimeSpan at)
    {
        lock (_gate)
        {
            if (Skipped is not null || ReplacedAt is not null)
            {
                return false;
            }
            ReplacedAt = at;
            return true;
        }
    }

    private bool Detect(string what, TimeSpan at)
    {
        lock (_gate)
        {
            if (Skipped is not null || DetectedAt is not null || at < InjectedAt)
            {
                return false;
            }
            DetectedAt = at;
            DetectedAs = what;
            return true;
        }
    }
}
