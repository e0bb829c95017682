using System.Runtime.ExceptionServices;

namespace Resilink.Resilience;

public sealed partial class FailoverController<TEndpoint>
{
    /// <summary>
    /// Switches to the secondary by hand (through <see cref="FailoverState.FailingOver"/> and the hook) and keeps it there:
    /// automatic failback is off until <see cref="FailbackAsync"/> (or until the secondary fails). On the secondary
    /// already, only pins it there; during a failover, waits for it; during a failback, waits for it and then fails over.
    /// </summary>
    /// <param name="reason">Why, for the events and the statistics.</param>
    /// <param name="cancellationToken">Stops waiting; the switch itself goes on.</param>
    /// <returns>True if this call (or the failover it waited for) moved the controller to the secondary; false if it was there already.</returns>
    /// <exception cref="InvalidOperationException">The secondary has failed (before or during the switch).</exception>
    /// <exception cref="ObjectDisposedException">The controller is disposed.</exception>
    /// <remarks>If the hook fails, the secondary counts as failed, the controller goes back to the primary, and the hook's exception is thrown here.</remarks>
    public Task<bool> FailoverAsync(string reason, CancellationToken cancellationToken = default) =>
        SwitchByHandAsync(toSecondary: true, reason, cancellationToken);

    /// <summary>
    /// Switches back to the primary by hand (through <see cref="FailoverState.FailingBack"/> and the hook) without waiting
    /// for <see cref="FailoverOptions.FailbackDelay"/>, and re-enables automatic failback. On the primary already, does
    /// nothing; during a failback, waits for it; during a failover, waits for it and then fails back.
    /// </summary>
    /// <param name="reason">Why, for the events and the statistics.</param>
    /// <param name="cancellationToken">Stops waiting; the switch itself goes on.</param>
    /// <returns>True if this call (or the failback it waited for) moved the controller to the primary; false if it was there already.</returns>
    /// <exception cref="InvalidOperationException">The primary has failed (before or during the switch).</exception>
    /// <exception cref="ObjectDisposedException">The controller is disposed.</exception>
    /// <remarks>If the hook fails, the primary counts as failed, the controller goes back to the secondary, and the hook's exception is thrown here.</remarks>
    public Task<bool> FailbackAsync(string reason, CancellationToken cancellationToken = default) =>
        SwitchByHandAsync(toSecondary: false, reason, cancellationToken);

    private async Task<bool> SwitchByHandAsync(bool toSecondary, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var there = toSecondary ? FailoverState.Secondary : FailoverState.Primary;
        var target = toSecondary ? _secondaryHealth : _primaryHealth;
        while (true)
        {
            FailoverSwitch? awaited;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_clock.State == there)
                {
                    _pinnedToSecondary |= toSecondary;
                    Reevaluate(); // a new pin disarms the failback timer
                    return false;
                }
                awaited = _switch; // a switch under way, either way: wait for it first
                if (awaited is null)
                {
                    if (target.IsFailed)
                    {
                        throw new InvalidOperationException($"Cannot switch to {target.Describe()}: it has failed ({target.FailureReason}).");
                    }
                    BeginSwitch(toSecondary, $"manual: {reason}");
                    awaited = _switch; // null when it completed at once (no hook)
                }
                if (awaited is null || awaited.ToSecondary == toSecondary)
                {
                    _pinnedToSecondary = toSecondary;
                }
                Reevaluate();
            }
            Flush();
            if (awaited is null)
            {
                return true;
            }
            var error = await awaited.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (awaited.ToSecondary == toSecondary)
            {
                if (error is not null)
                {
                    ExceptionDispatchInfo.Throw(error);
                }
                return true;
            }
        }
    }
}
