namespace Resilink.Health;

/// <summary>One entry of a connection's bounded lifecycle history.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Detail">More about it (the new status, the reason); may be empty.</param>
public sealed record ConnectionLifecycleEvent(DateTimeOffset Timestamp, ConnectionEventKind Kind, string Detail);
