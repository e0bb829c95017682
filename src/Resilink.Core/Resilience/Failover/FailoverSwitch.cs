namespace Resilink.Resilience;

/// <summary>One switch in progress (<see cref="FailoverState.FailingOver"/> or <see cref="FailoverState.FailingBack"/>).</summary>
internal sealed class FailoverSwitch
{
    public FailoverSwitch(bool toSecondary, string reason)
    {
        ToSecondary = toSecondary;
        Reason = reason;
    }

    /// <summary>Gets whether it goes to the secondary (a failover) rather than back to the primary (a failback).</summary>
    public bool ToSecondary { get; }

    /// <summary>Gets why it started.</summary>
    public string Reason { get; }

    /// <summary>Gets or sets the token source of the hook: cancelled on <see cref="FailoverOptions.SwitchTimeout"/> or when abandoned. Null without a hook.</summary>
    public CancellationTokenSource? Cancellation { get; set; }

    /// <summary>Gets the end of the switch: null when it completed, else why it did not. Continuations run asynchronously.</summary>
    public TaskCompletionSource<Exception?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
