namespace Resilink.Telemetry;

/// <summary>
/// The tag (Prometheus: label) names on Resilink's instruments. Every value set is bounded: fixed sets (lowercase enum
/// names) or free-form values capped at <see cref="ResilinkTelemetryOptions.MaxTagValues"/>, past which values are
/// reported as <see cref="ResilinkTelemetryConstants.OtherTagValue"/>.
/// </summary>
public static class ResilinkTagNames
{
    /// <summary>
    /// How an attempt, a stream or a reconnection ended: <c>success</c>/<c>failure</c>/<c>timeout</c>,
    /// <c>opened</c>/<c>failed</c>/<c>reset</c>, <c>success</c>/<c>gave_up</c>.
    /// </summary>
    public const string Outcome = "outcome";

    /// <summary><c>inbound</c>/<c>outbound</c> for attempts, <c>in</c>/<c>out</c> for bytes and messages.</summary>
    public const string Direction = "direction";

    /// <summary>The state before a transition (lowercase state name, e.g. <c>connected</c>, <c>failing_over</c>).</summary>
    public const string From = "from";

    /// <summary>The state after a transition (lowercase state or health status name).</summary>
    public const string To = "to";

    /// <summary>A connection or circuit breaker state (lowercase, e.g. <c>connected</c>, <c>half_open</c>).</summary>
    public const string State = "state";

    /// <summary>Why a connection is replaced: <c>unhealthy</c>/<c>dead</c>/<c>broken</c>.</summary>
    public const string Reason = "reason";

    /// <summary>A short, stable error kind (capped; Prometheus label <c>error_type</c>).</summary>
    public const string ErrorType = "error.type";

    /// <summary>How a peer was discovered (capped).</summary>
    public const string Source = "source";

    /// <summary>An application message type (capped; Prometheus label <c>message_type</c>).</summary>
    public const string MessageType = "message.type";

    /// <summary>A connection pool's name (capped).</summary>
    public const string Pool = "pool";

    /// <summary>
    /// The peer, only when <see cref="ResilinkTelemetryOptions.PerPeerMetrics"/> is on, and only for the first
    /// <see cref="ResilinkTelemetryOptions.MaxPeers"/> peers.
    /// </summary>
    public const string Peer = "peer";
}
