namespace Resilink.Resilience;

/// <summary>The thread-safe running totals behind <see cref="ReconnectionStatistics"/>.</summary>
internal sealed class ReconnectionCounters
{
    private readonly Lock _lock = new();
    private long _attempts;
    private long _failedAttempts;
    private long _successes;
    private long _giveUps;
    private long _cancellations;
    private long _totalTicks;
    private long _maxTicks;

    public void AttemptStarted()
    {
        lock (_lock)
        {
            _attempts++;
        }
    }

    public void AttemptFailed()
    {
        lock (_lock)
        {
            _failedAttempts++;
        }
    }

    public void Succeeded(TimeSpan elapsed)
    {
        lock (_lock)
        {
            _successes++;
            _totalTicks += elapsed.Ticks;
            _maxTicks = Math.Max(_maxTicks, elapsed.Ticks);
        }
    }

    public void GaveUp()
    {
        lock (_lock)
        {
            _giveUps++;
        }
    }

    public void Cancelled()
    {
        lock (_lock)
        {
            _cancellations++;
        }
    }

    public ReconnectionStatistics Snapshot()
    {
        lock (_lock)
        {
            var mean = _successes == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(_totalTicks / _successes);
            return new(_attempts, _failedAttempts, _successes, _giveUps, _cancellations, mean, TimeSpan.FromTicks(_maxTicks));
        }
    }
}
