namespace Resilink.Hosting.History;

/// <summary>Counters of a <see cref="SqliteHealthHistory"/> since it was created.</summary>
/// <param name="Written">Records committed to the database.</param>
/// <param name="DroppedQueueFull">Records refused because the write queue was full.</param>
/// <param name="DroppedOnError">Records lost because the transaction holding them failed.</param>
/// <param name="Transactions">Write transactions committed.</param>
/// <param name="FailedBatches">Write transactions that failed (disk full, read-only, locked, cannot open).</param>
/// <param name="Pruned">Records deleted for being older than the retention.</param>
/// <param name="Queued">Records waiting for the writer now.</param>
public readonly record struct HealthHistoryStatistics(
    long Written,
    long DroppedQueueFull,
    long DroppedOnError,
    long Transactions,
    long FailedBatches,
    long Pruned,
    int Queued);
