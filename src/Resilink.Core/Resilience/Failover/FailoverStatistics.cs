namespace Resilink.Resilience;

/// <summary>Counters and clocks of a <see cref="FailoverController{TEndpoint}"/> since it was created.</summary>
/// <param name="State">The state when the snapshot was taken.</param>
/// <param name="FailoverCount">Completed switches from the primary to the secondary.</param>
/// <param name="FailbackCount">Completed switches from the secondary back to the primary.</param>
/// <param name="FailedSwitchCount">Switches that did not complete: the hook failed or timed out, or the new endpoint failed meanwhile.</param>
/// <param name="TimeInPrimary">Time spent in <see cref="FailoverState.Primary"/>, the ongoing stay included.</param>
/// <param name="TimeInSecondary">Time spent in <see cref="FailoverState.Secondary"/>, the ongoing stay included.</param>
/// <param name="TimeFailingOver">Time spent in <see cref="FailoverState.FailingOver"/>, the ongoing stay included.</param>
/// <param name="TimeFailingBack">Time spent in <see cref="FailoverState.FailingBack"/>, the ongoing stay included.</param>
/// <param name="TimeUnavailable">Time spent in <see cref="FailoverState.Unavailable"/>, the ongoing stay included.</param>
/// <param name="LastReason">Reason of the last transition; null before the first.</param>
/// <param name="LastTransitionAt">When the last transition happened; null before the first.</param>
public readonly record struct FailoverStatistics(
    FailoverState State,
    long FailoverCount,
    long FailbackCount,
    long FailedSwitchCount,
    TimeSpan TimeInPrimary,
    TimeSpan TimeInSecondary,
    TimeSpan TimeFailingOver,
    TimeSpan TimeFailingBack,
    TimeSpan TimeUnavailable,
    string? LastReason,
    DateTimeOffset? LastTransitionAt)
{
    /// <summary>Time spent in <paramref name="state"/>, the ongoing stay included.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The time; zero for an undefined value.</returns>
    public TimeSpan TimeIn(FailoverState state) => state switch
    {
        FailoverState.Primary => TimeInPrimary,
        FailoverState.Secondary => TimeInSecondary,
        FailoverState.FailingOver => TimeFailingOver,
        FailoverState.FailingBack => TimeFailingBack,
        FailoverState.Unavailable => TimeUnavailable,
        _ => TimeSpan.Zero,
    };
}
