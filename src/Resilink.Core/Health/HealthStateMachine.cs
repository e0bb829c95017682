namespace Resilink.Health;

/// <summary>
/// Turns a stream of per-evaluation verdicts into a status with hysteresis: a worse verdict must repeat
/// <c>failureThreshold</c> times in a row, a better one <c>recoveryThreshold</c> times, so one bad or good ping
/// does not flap the status.
/// </summary>
/// <remarks>
/// The first verdict after <see cref="HealthStatus.Unknown"/> and any immediate verdict apply at once. When a run
/// completes, the latest verdict of the run applies. <see cref="HealthStatus.Unknown"/> verdicts are ignored.
/// Not thread-safe: the owner serializes calls.
/// </remarks>
public sealed class HealthStateMachine
{
    private readonly int _failureThreshold;
    private readonly int _recoveryThreshold;
    private int _worseInARow;
    private int _betterInARow;

    /// <summary>Initializes a new instance of the <see cref="HealthStateMachine"/> class.</summary>
    /// <param name="failureThreshold">Worse verdicts in a row needed to move down; at least 1.</param>
    /// <param name="recoveryThreshold">Better verdicts in a row needed to move up; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is less than 1.</exception>
    public HealthStateMachine(int failureThreshold, int recoveryThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failureThreshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(recoveryThreshold, 1);
        _failureThreshold = failureThreshold;
        _recoveryThreshold = recoveryThreshold;
    }

    /// <summary>Gets the current status; <see cref="HealthStatus.Unknown"/> until the first verdict.</summary>
    public HealthStatus Current { get; private set; }

    /// <summary>Feeds one evaluation's verdict.</summary>
    /// <param name="verdict">The status the latest evaluation points to.</param>
    /// <param name="immediate">Apply at once, without waiting for a run (e.g. Dead because the connection closed).</param>
    /// <param name="previous">The status before this call.</param>
    /// <returns><see langword="true"/> if <see cref="Current"/> changed.</returns>
    public bool Observe(HealthStatus verdict, bool immediate, out HealthStatus previous)
    {
        previous = Current;
        if (verdict == HealthStatus.Unknown || (verdict == HealthStatus.Closed && Current == HealthStatus.Dead))
        {
            // Closing a connection that was already lost does not undo the loss: it stays Dead.
            return false;
        }

        if (verdict == Current)
        {
            // Confirms the current status: any run towards another one is broken.
            _worseInARow = _betterInARow = 0;
            return false;
        }

        if (immediate || Current == HealthStatus.Unknown)
        {
            return Apply(verdict);
        }

        if (verdict > Current)
        {
            _betterInARow = 0;
            return ++_worseInARow >= _failureThreshold && Apply(verdict);
        }

        _worseInARow = 0;
        return ++_betterInARow >= _recoveryThreshold && Apply(verdict);
    }

    private bool Apply(HealthStatus verdict)
    {
        Current = verdict;
        _worseInARow = _betterInARow = 0;
        return true;
    }
}
