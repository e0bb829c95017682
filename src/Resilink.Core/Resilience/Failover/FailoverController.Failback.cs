namespace Resilink.Resilience;

public sealed partial class FailoverController<TEndpoint>
{
    private ITimer? _failbackTimer;
    private int _failbackGeneration;

    /// <summary>
    /// Whether an automatic failback is waited for: on the secondary, not pinned there by hand, primary not failed and
    /// proven healthy by a success since its last failure. Caller holds the lock.
    /// </summary>
    private bool FailbackWanted() =>
        _automaticFailback && !_pinnedToSecondary && !_primaryHealth.IsFailed && _primaryHealth.ProvenHealthy
        && _clock.State == FailoverState.Secondary;

    /// <summary>
    /// Arms the failback timer for when the primary will have been healthy for FailbackDelay, or disarms it. An armed timer
    /// is kept when a failure report moves that moment later: it fires early, finds the wait not over and re-arms, which
    /// costs one wake-up instead of a new timer per failure. Caller holds the lock.
    /// </summary>
    private void UpdateFailbackTimer()
    {
        if (_disposed || !FailbackWanted())
        {
            DisarmFailbackTimer();
            return;
        }
        if (_failbackTimer is not null)
        {
            return;
        }
        // Positive (Step would have failed back already if the delay had passed); never zero, which some clocks fire inline.
        var dueIn = TimeSpan.FromTicks(Math.Max(1, (_failbackDelay - _timeProvider.GetElapsedTime(_primaryHealth.HealthySince)).Ticks));
        _failbackTimer = _timeProvider.CreateTimer(static s => ((FailbackTick)s!).Fire(), new FailbackTick(this, _failbackGeneration), dueIn, Timeout.InfiniteTimeSpan);
    }

    private void DisarmFailbackTimer()
    {
        if (_failbackTimer is not null)
        {
            _failbackGeneration++;
            _failbackTimer.Dispose();
            _failbackTimer = null;
        }
    }

    private void OnFailbackTimer(int generation)
    {
        lock (_lock)
        {
            if (generation != _failbackGeneration || _disposed)
            {
                return; // disarmed or re-armed since
            }
            _failbackTimer?.Dispose();
            _failbackTimer = null;
            _failbackGeneration++;
            Reevaluate();
        }
        Flush();
    }

    private sealed class FailbackTick(FailoverController<TEndpoint> owner, int generation)
    {
        public void Fire() => owner.OnFailbackTimer(generation);
    }
}
