namespace Resilink.Health;

/// <summary>What happened in a connection's life, as kept in its lifecycle event history.</summary>
public enum ConnectionEventKind
{
    /// <summary>The connection was established and is being monitored.</summary>
    Opened = 0,

    /// <summary>The health status changed.</summary>
    StatusChanged = 1,

    /// <summary>The connection stopped receiving new streams (it is draining).</summary>
    Excluded = 2,

    /// <summary>A new connection was dialed to take its place.</summary>
    ReplacementRequested = 3,

    /// <summary>The connection closed.</summary>
    Closed = 4,
}
