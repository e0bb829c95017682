namespace Resilink.Monitoring;

/// <summary>
/// The lifecycle of one connection as monitoring sees it: Disconnected → Connecting → Connected → Disconnecting →
/// Disconnected, or Connecting → Failed when the attempt does not succeed.
/// </summary>
public enum ConnectionState
{
    /// <summary>No connection (before an attempt, after a close).</summary>
    Disconnected = 0,

    /// <summary>Dialing or accepting, and upgrading (security, muxer).</summary>
    Connecting = 1,

    /// <summary>Ready for streams.</summary>
    Connected = 2,

    /// <summary>Closing.</summary>
    Disconnecting = 3,

    /// <summary>The attempt failed; terminal for that attempt.</summary>
    Failed = 4,
}
