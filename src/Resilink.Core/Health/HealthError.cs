namespace Resilink.Health;

/// <summary>One error seen on a connection, kept in its bounded error history.</summary>
/// <param name="Timestamp">When it was recorded.</param>
/// <param name="Type">A short, stable kind, e.g. <c>ping_timeout</c>, <c>stream_reset</c>, or an exception type name.</param>
/// <param name="Message">What happened, for people.</param>
public sealed record HealthError(DateTimeOffset Timestamp, string Type, string Message);
