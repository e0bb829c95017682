namespace Resilink.Hosting.History;

/// <summary>The mutable counters behind <see cref="HealthHistoryStatistics"/>; safe to bump from any thread.</summary>
internal sealed class HistoryCounters
{
    private long _written;
    private long _droppedQueueFull;
    private long _droppedOnError;
    private long _transactions;
    private long _failedBatches;
    private long _pruned;

    public void Committed(int records)
    {
        Interlocked.Add(ref _written, records);
        Interlocked.Increment(ref _transactions);
    }

    public void Failed(int records)
    {
        Interlocked.Add(ref _droppedOnError, records);
        Interlocked.Increment(ref _failedBatches);
    }

    /// <summary>Counts one record refused by the full queue.</summary>
    public void QueueFull() => Interlocked.Increment(ref _droppedQueueFull);

    public void Pruned(int records) => Interlocked.Add(ref _pruned, records);

    public HealthHistoryStatistics Snapshot(int queued) => new(
        Interlocked.Read(ref _written),
        Interlocked.Read(ref _droppedQueueFull),
        Interlocked.Read(ref _droppedOnError),
        Interlocked.Read(ref _transactions),
        Interlocked.Read(ref _failedBatches),
        Interlocked.Read(ref _pruned),
        queued);
}
