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
        if (skipped is null)
        {
            switch (step.Kind)
            {
                case FaultKind.Latency:
                    link.Proxied.Faults = link.Proxied.Faults with { Latency = OneWayLatency };
                    link.BeginFault("+200ms", now);
                    break;
                case FaultKind.BlackHole:
                    link.Proxied.Faults = link.Proxied.Faults with { BlackHole = true };
                    link.BeginFault(FaultSchedule.KindName(step.Kind), now);
                    break;
                case FaultKind.Reset:
                    link.BeginFault(FaultSchedule.KindName(step.Kind), now); // before the reset, so no failure it causes looks healthy
                    link.Proxied.Reset();
                    break;
                case FaultKind.Recovery:
                    link.Proxied.Faults = link.Proxied.Faults with { Latency = TimeSpan.Zero };
                    link.EndFault(now);
                    break;
            }
        }
        lock (_gate)
        {
            _records.Add(new FaultRecord(step, link, now, skipped));
        }
        var what = step.Kind == FaultKind.Recovery ? $"{link.Name} latency removed" : $"{FaultSchedule.KindName(step.Kind)} {link.Name}";
        _events.Add(now, step.Kind == FaultKind.Recovery ? "heal" : "fault", $"{what}{(skipped is null ? "" : $" (skipped: {skipped})")}");
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
            if (record.Link.Dialer == replacement.Dialer && record.Link.Listener == replacement.Listener
                && record.Step.Kind is FaultKind.BlackHole or FaultKind.Reset
                && (record.DetectedAt is not null || record.Link.ClosedAt is not null))
            {
                record.ObserveReplaced(now);
            }
        }
    }

    private IEnumerable<FaultRecord> RecordsOf(DemoLink link) => Records.Where(r => ReferenceEquals(r.Link, link));
}
