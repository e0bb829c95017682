using System.Globalization;

namespace Resilink.Cli.Demo;

/// <summary>One line of the demo's event log: when (from the start of the load) and what.</summary>
internal sealed record DemoEvent(TimeSpan At, string Kind, string Text)
{
    /// <summary>e.g. <c>12.3s Dead h0-h3#1 (3 pings unanswered)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{At.TotalSeconds,5:0.0}s {Kind} {Text}");
}

/// <summary>
/// What happened during the demo, in order: faults injected, health status changes (Degraded, Unhealthy, Dead, Healthy
/// again), connections replaced, traffic failing over. The live table shows the latest few; the plain reporter prints
/// each once (<see cref="Since"/>). Thread-safe: host events arrive on the health monitor's threads.
/// </summary>
internal sealed class DemoEvents
{
    private readonly Lock _gate = new();
    private readonly List<DemoEvent> _all = [];

    /// <summary>Appends an event.</summary>
    public void Add(TimeSpan at, string kind, string text)
    {
        lock (_gate)
        {
            _all.Add(new DemoEvent(at, kind, text));
        }
    }

    /// <summary>The latest <paramref name="count"/> events, oldest first.</summary>
    public IReadOnlyList<DemoEvent> Recent(int count)
    {
        lock (_gate)
        {
            return [.. _all.Skip(Math.Max(0, _all.Count - count))];
        }
    }

    /// <summary>The events after the first <paramref name="cursor"/> ones; moves the cursor past them.</summary>
    public IReadOnlyList<DemoEvent> Since(ref int cursor)
    {
        lock (_gate)
        {
            var fresh = _all.Skip(cursor).ToList();
            cursor = _all.Count;
            return fresh;
        }
    }
}
