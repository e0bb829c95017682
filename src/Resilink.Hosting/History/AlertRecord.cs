using Resilink.Alerting;

namespace Resilink.Hosting.History;

/// <summary>One stored alert notification (raised or resolved).</summary>
/// <param name="Timestamp">When it was raised (or resolved, when <paramref name="Resolved"/>).</param>
/// <param name="AlertId">The alert's identity (same for its raise and its resolve).</param>
/// <param name="Rule">The rule's name.</param>
/// <param name="Level">The rule's level.</param>
/// <param name="Service">What the alert is about (a peer, a connection, the node).</param>
/// <param name="Message">The alert's text.</param>
/// <param name="Resolved">True when this record is the alert's resolution.</param>
public sealed record AlertRecord(
    DateTimeOffset Timestamp,
    string AlertId,
    string Rule,
    MonitoringLevel Level,
    string Service,
    string Message,
    bool Resolved);
