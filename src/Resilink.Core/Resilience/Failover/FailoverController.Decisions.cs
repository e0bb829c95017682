namespace Resilink.Resilience;

public sealed partial class FailoverController<TEndpoint>
{
    /// <summary>Moves the state on until it agrees with what is known of the endpoints. Caller holds the lock.</summary>
    private void Reevaluate()
    {
        // Each step changes the state; a handful is the most one report can cause (abandon a switch, then settle).
        for (int step = 0; step < 8 && !_disposed && Step(); step++)
        {
        }
        UpdateFailbackTimer();
    }

    /// <summary>One transition if one is due; false when the state is settled. Caller holds the lock.</summary>
    private bool Step()
    {
        var primary = _primaryHealth;
        var secondary = _secondaryHealth;
        switch (_clock.State)
        {
            case FailoverState.Primary when primary.IsFailed:
                return secondary.IsFailed
                    ? SetState(FailoverState.Unavailable, $"{primary.Describe()} failed: {primary.FailureReason}; {secondary.Describe()} has failed too")
                    : BeginSwitch(toSecondary: true, $"{primary.Describe()} failed: {primary.FailureReason}");
            case FailoverState.Secondary when secondary.IsFailed:
                return primary.IsFailed
                    ? SetState(FailoverState.Unavailable, $"{secondary.Describe()} failed: {secondary.FailureReason}; {primary.Describe()} has failed too")
                    : BeginSwitch(toSecondary: false, $"{secondary.Describe()} failed: {secondary.FailureReason}");
            case FailoverState.Secondary when FailbackWanted() && _timeProvider.GetElapsedTime(primary.HealthySince) >= _failbackDelay:
                return BeginSwitch(toSecondary: false, $"{primary.Describe()} healthy for {_failbackDelay.TotalSeconds:0.###} s");
            case FailoverState.FailingOver when secondary.IsFailed:
                return AbandonSwitch($"{secondary.Describe()} failed during the failover: {secondary.FailureReason}");
            case FailoverState.FailingBack when primary.IsFailed:
                return AbandonSwitch($"{primary.Describe()} failed during the failback: {primary.FailureReason}");
            case FailoverState.Unavailable when !primary.IsFailed:
                return SetState(FailoverState.Primary, $"{primary.Describe()} recovered");
            case FailoverState.Unavailable when !secondary.IsFailed:
                return SetState(FailoverState.Secondary, $"{secondary.Describe()} recovered");
            default:
                return false;
        }
    }

    /// <summary>Records a transition and queues its event. Caller holds the lock; always true (a step was taken).</summary>
    private bool SetState(FailoverState to, string reason)
    {
        var from = _clock.State;
        var now = _timeProvider.GetUtcNow();
        _clock.Enter(to);
        (_lastReason, _lastTransitionAt) = (reason, now);
        if (to is FailoverState.Primary or FailoverState.Unavailable)
        {
            _pinnedToSecondary = false;
        }
        _pendingEvents.Enqueue(new FailoverStateChangedEventArgs(from, to, reason, now));
        return true;
    }
}
