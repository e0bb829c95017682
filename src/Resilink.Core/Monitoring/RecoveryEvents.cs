using Resilink.Health;
using Resilink.Resilience;

namespace Resilink.Monitoring;

/// <summary>How one step of a reconnection ended (see <see cref="Reconnector"/>).</summary>
public enum ReconnectOutcome
{
    /// <summary>The attempt connected: the reconnection is over.</summary>
    Success = 0,

    /// <summary>The attempt failed; another may follow.</summary>
    Failure = 1,

    /// <summary>The reconnection was abandoned (attempts used up, or a permanent error).</summary>
    GaveUp = 2,
}

/// <summary>Why a connection is being replaced.</summary>
public enum ReplacementReason
{
    /// <summary>Its health turned Unhealthy.</summary>
    Unhealthy = 0,

    /// <summary>Its health turned Dead (or it closed abnormally under us).</summary>
    Dead = 1,

    /// <summary>Its user reported it broken.</summary>
    Broken = 2,
}

/// <summary>The <see cref="ReplacementReason"/> of a connection taken out for its health.</summary>
public static class ReplacementReasons
{
    /// <summary>Dead for <see cref="HealthStatus.Dead"/>, otherwise Unhealthy.</summary>
    /// <param name="status">The status that took the connection out of rotation.</param>
    /// <returns>The reason.</returns>
    public static ReplacementReason For(HealthStatus status) =>
        status == HealthStatus.Dead ? ReplacementReason.Dead : ReplacementReason.Unhealthy;
}

/// <summary>A reconnection attempt ended, or a reconnection was abandoned.</summary>
/// <param name="Key">What is being reconnected (peer, endpoint or connection; never a metric tag).</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Attempt">The 1-based attempt number (for a give-up, the attempts made).</param>
public readonly record struct ReconnectEvent(string Key, ReconnectOutcome Outcome, int Attempt);

/// <summary>A sick connection is taken out and a replacement is being opened for it.</summary>
/// <param name="ConnectionId">The connection being replaced.</param>
/// <param name="PeerKey">Its peer or endpoint.</param>
/// <param name="Reason">Why.</param>
public readonly record struct ConnectionReplacementEvent(string ConnectionId, string PeerKey, ReplacementReason Reason);

/// <summary>A failover controller moved between <see cref="FailoverState"/>s.</summary>
/// <param name="From">The state before.</param>
/// <param name="To">The state now (<see cref="FailoverState.Secondary"/> after a failover, <see cref="FailoverState.Primary"/> after a failback).</param>
public readonly record struct FailoverEvent(FailoverState From, FailoverState To);
