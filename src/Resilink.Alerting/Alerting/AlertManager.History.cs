namespace Resilink.Alerting;

// Reading the active alerts and the bounded history of resolved ones.
public sealed partial class AlertManager
{
    private readonly Queue<Alert> _history = new();

    /// <summary>Gets a snapshot of the active alerts, most severe first, then oldest first.</summary>
    /// <returns>A new list.</returns>
    public IReadOnlyList<Alert> GetActiveAlerts()
    {
        lock (_lock)
        {
            return [.. _active.Values
                .OrderByDescending(a => a.Rule.Level)
                .ThenBy(a => a.FirstSeen)
                .Select(a => a.ToAlert())];
        }
    }

    /// <summary>
    /// Gets the resolved alerts of the last <see cref="AlertManagerOptions.HistoryRetention"/>, at most
    /// <see cref="AlertManagerOptions.MaxHistory"/>, oldest resolution first.
    /// </summary>
    /// <returns>A new list.</returns>
    public IReadOnlyList<Alert> GetHistory()
    {
        lock (_lock)
        {
            PruneHistory(_timeProvider.GetUtcNow());
            return [.. _history];
        }
    }

    private void AddToHistory(Alert resolved)
    {
        _history.Enqueue(resolved);
        PruneHistory(resolved.ResolvedAt!.Value);
        while (_history.Count > Options.MaxHistory)
        {
            _history.Dequeue();
            Interlocked.Increment(ref _counters.DroppedHistory);
        }
    }

    private void PruneHistory(DateTimeOffset now)
    {
        DateTimeOffset oldest = now - Options.HistoryRetention;
        while (_history.TryPeek(out Alert? head) && head.ResolvedAt < oldest)
        {
            _history.Dequeue();
        }
    }
}
