using Resilink.Health;
using Resilink.Net.Chaos;

namespace Resilink.Cli.Demo;

/// <summary>
/// Runs a <see cref="FaultSchedule"/> against the swarm's proxies and records, for each step, when the dialer's health
/// monitoring noticed it and when the connection was replaced (<see cref="Records"/>).
/// </summary>
internal sealed class FaultInjector
{
    /// <summary>Each way, so the round trip grows by 200 ms.</summary>
    public static readonly TimeSpan OneWayLatency = TimeSpan.FromMilliseconds(100);

    private readonly DemoSwarm _swarm;
    private readonly IReadOnlyList<FaultStep> _steps;
    private readonly DemoClock _clock;
    private readonly DemoEvents _events;
    private readonly Lock _gate = new();
    private readonly List<FaultRecord> _records = [];

    public FaultInjector(DemoSwarm swarm, IReadOnlyList<FaultStep> steps, DemoClock clock, DemoEvents events)
    {
        _swarm = swarm;
        _steps = steps;
        _clock = clock;
        _events = events;
        swarm.StatusChanged += OnStatusChanged;
        swarm.LinkClosed += OnClosed;
        swarm.LinkOpened += OnOpened;
    }

    /// <summary>The steps applied so far, in order.</summary>
    public IReadOnlyList<FaultRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>Applies each step at its time; returns when all are applied or on cancellation.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var step in _steps)
        {
            var wait = step.At - _clock.Now;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
            Apply(step);
        }
    }

    private void Apply(FaultStep step)
    {
        var link = _swarm.InitialLinks[step.Link];
        var now = _clock.Now;
        string? skipped = link.ClosedAt is null ? null : "the connection had closed already";

        // Record first, touch the proxy last: a reset's Dead status / close can be raised on another thread before
        // Proxied.Reset() returns, and must find its record (and a failed request its fault window) already there.
        if (skipped is null && step.Kind != FaultKind.Recovery)
        {
            link.BeginFault(step.Kind == FaultKind.Latency ? "+200ms" : FaultSchedule.KindName(step.Kind), now);
        }
        lock (_gate)
        {
            _records.Add(new FaultRecord(step, link, now, skipped));
        }
        var what = step.Kind == FaultKind.Recovery ? $"{link.Name} latency removed" : $"{FaultSchedule.KindName(step.Kind)} {link.Name}";
        _events.Add(now, step.Kind == FaultKind.Recovery ? "heal" : "fault", $"{what}{(skipped is null ? "" : $" (skipped: {skipped})")}");
        if (skipped is not null)
        {
            return;
        }
        switch (step.Kind)
        {
            case FaultKind.Latency:
                link.Proxied.Faults = link.Proxied.Faults with { Latency = OneWayLatency };
                break;
            case FaultKind.BlackHole:
                link.Proxied.Faults = link.Proxied.Faults with { BlackHole = true };
                break;
            case FaultKind.Reset:
                link.Proxied.Reset();
                break;
            case FaultKind.Recovery:
                link.Proxied.Faults = link.Proxied.Faults with { Latency = TimeSpan.Zero };
                link.EndFault(_clock.Now); // after the proxy, so no request that still saw the latency looks healthy
                break;
        }
    }

    private void OnStatusChanged(DemoLink link, HealthStatusChangedEventArgs change)
    {
        var now = _clock.Now;
        foreach (var record in RecordsOf(link))
        {
            record.Observe(change.Current, now);
        }
    }

    private void OnClosed(DemoLink link)
    {
        var now = _clock.Now;
        foreach (var record in RecordsOf(link))
        {
            record.ObserveClosed(now);
        }
    }

    private void OnOpened(DemoLink replacement)
    {
        var now = _clock.Now;
        foreach (var record in Records)
        {
            // The faulted connection is replaced once it is out of rotation: detected (it may close only after draining).
            // One replacement is credited to one fault only, the earliest still waiting (two faults on one pair of hosts,
            // e.g. with 2 peers, would otherwise both claim it).
            if (record.Link.Dialer == replacement.Dialer && record.Link.Listener == replacement.Listener
                && record.Step.Kind is FaultKind.BlackHole or FaultKind.Reset
                && (record.DetectedAt is not null || record.Link.ClosedAt is not null)
                && record.TryObserveReplaced(now))
            {
                return;
            }
        }
    }

    private IEnumerable<FaultRecord> RecordsOf(DemoLink link) => Records.Where(r => ReferenceEquals(r.Link, link));
}
