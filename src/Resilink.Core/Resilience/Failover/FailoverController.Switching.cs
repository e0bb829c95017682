namespace Resilink.Resilience;

public sealed partial class FailoverController<TEndpoint>
{
    /// <summary>Enters FailingOver or FailingBack; completes at once without a hook, else queues the hook. Caller holds the lock.</summary>
    private bool BeginSwitch(bool toSecondary, string reason)
    {
        var change = new FailoverSwitch(toSecondary, reason);
        _switch = change;
        SetState(toSecondary ? FailoverState.FailingOver : FailoverState.FailingBack, reason);
        if (_onSwitch is null)
        {
            CompleteSwitch(change);
        }
        else
        {
            change.Cancellation = new CancellationTokenSource(_switchTimeout, _timeProvider);
            _hooksToStart.Enqueue(change);
        }
        return true;
    }

    /// <summary>The new endpoint is ready: the switch ends there. Caller holds the lock.</summary>
    private void CompleteSwitch(FailoverSwitch change)
    {
        _switch = null;
        if (change.ToSecondary)
        {
            _failovers++;
        }
        else
        {
            _failbacks++;
        }
        SetState(change.ToSecondary ? FailoverState.Secondary : FailoverState.Primary, change.Reason);
        change.Done.TrySetResult(null);
    }

    /// <summary>
    /// The switch cannot complete (<paramref name="error"/>): back to the endpoint being left if it has not failed, else
    /// Unavailable; a running hook is cancelled. Caller holds the lock; always true.
    /// </summary>
    private bool FailSwitch(FailoverSwitch change, string reason, Exception error)
    {
        _switch = null;
        _failedSwitches++;
        var left = change.ToSecondary ? _primaryHealth : _secondaryHealth;
        var back = change.ToSecondary ? FailoverState.Primary : FailoverState.Secondary;
        SetState(left.IsFailed ? FailoverState.Unavailable : back, reason);
        if (change.Cancellation is { } cancellation)
        {
            _hooksToCancel.Enqueue(cancellation);
        }
        change.Done.TrySetResult(error);
        return true;
    }

    /// <summary>The new endpoint failed while the switch was under way. Caller holds the lock.</summary>
    private bool AbandonSwitch(string reason) =>
        FailSwitch(_switch!, reason, new InvalidOperationException($"The switch was abandoned: {reason}."));

    private async Task RunHookAsync(FailoverSwitch change)
    {
        var target = change.ToSecondary ? _secondary : _primary;
        var token = change.Cancellation!.Token;
        Exception? failure = null;
        try
        {
            var hook = _onSwitch!(target, token);
            try
            {
                await hook.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!hook.IsCompleted)
            {
                // A hook that ignores its token is left behind; observe its end so no fault goes unobserved.
                _ = hook.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw;
            }
        }
#pragma warning disable CA1031 // Whatever the hook throws decides the switch; nothing may escape this background task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }
        lock (_lock)
        {
            if (_switch == change && !_disposed)
            {
                if (failure is null)
                {
                    CompleteSwitch(change);
                }
                else
                {
                    HookFailed(change, token.IsCancellationRequested ? new TimeoutException(
                        $"The switch hook did not finish within {_switchTimeout.TotalSeconds:0.###} s.", failure) : failure);
                }
                Reevaluate();
            }
        }
        change.Cancellation.Dispose();
        Flush();
    }

    private void HookFailed(FailoverSwitch change, Exception error)
    {
        var health = change.ToSecondary ? _secondaryHealth : _primaryHealth;
        string message = string.IsNullOrEmpty(error.Message) ? error.GetType().Name : error.Message;
        health.Fail($"switch hook failed: {message}", _timeProvider.GetTimestamp());
        LogHookFailed(error, health.Describe());
        FailSwitch(change, $"switch to {health.Describe()} failed: {message}", error);
    }
}
