namespace Resilink.Alerting;

/// <summary>The mutable counters behind <see cref="AlertManagerStatistics"/>; updated with <see cref="Interlocked"/>.</summary>
internal sealed class AlertCounters
{
#pragma warning disable SA1401, CA1051 // Fields, so that Interlocked can update them.
    public long Raised;
    public long Folded;
    public long Resolved;
    public long DroppedAlerts;
    public long Queued;
    public long Delivered;
    public long Failed;
    public long DroppedDeliveries;
    public long DroppedHistory;
#pragma warning restore SA1401, CA1051

    public AlertManagerStatistics Snapshot() => new(
        Interlocked.Read(ref Raised),
        Interlocked.Read(ref Folded),
        Interlocked.Read(ref Resolved),
        Interlocked.Read(ref DroppedAlerts),
        Interlocked.Read(ref Queued),
        Interlocked.Read(ref Delivered),
        Interlocked.Read(ref Failed),
        Interlocked.Read(ref DroppedDeliveries),
        Interlocked.Read(ref DroppedHistory));
}
