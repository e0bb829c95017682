using System.Diagnostics;

namespace Resilink.Cli.Demo;

/// <summary>Time since the demo's load started: the one clock of the schedule, the events and the request records.</summary>
internal sealed class DemoClock
{
    private long _started;

    /// <summary>Whether <see cref="Start"/> was called.</summary>
    public bool IsStarted => Volatile.Read(ref _started) != 0;

    /// <summary>Time since <see cref="Start"/>; zero before.</summary>
    public TimeSpan Now => IsStarted ? Stopwatch.GetElapsedTime(Volatile.Read(ref _started)) : TimeSpan.Zero;

    /// <summary>Starts the clock (once).</summary>
    public void Start() => Interlocked.CompareExchange(ref _started, Stopwatch.GetTimestamp(), 0);
}
