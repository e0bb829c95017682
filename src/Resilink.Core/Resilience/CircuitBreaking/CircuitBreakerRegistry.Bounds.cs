using Resilink.Monitoring;

namespace Resilink.Resilience;

// The bound: at most MaxBreakers entries, in use order (most recent first); a new key forgets the least recently used
// closed breaker, or the least recently used of all when none is closed.
public sealed partial class CircuitBreakerRegistry
{
    private CircuitBreakerEntry GetOrAdd(string key, out CircuitBreakerEntry? evicted)
    {
        evicted = null;
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                _byUse.Remove(entry.Node);
                _byUse.AddFirst(entry.Node);
                return entry;
            }
            if (_entries.Count >= _options.MaxBreakers)
            {
                evicted = LeastRecentlyUsedVictim();
                _byUse.Remove(evicted.Node);
                _entries.Remove(evicted.Key);
            }
            entry = new CircuitBreakerEntry(key, this, _options, _timeProvider);
            _entries.Add(key, entry);
            _byUse.AddFirst(entry.Node);
            return entry;
        }
    }

    /// <summary>The least recently used closed entry, or the least recently used of all when none is closed. Needs the lock.</summary>
    private CircuitBreakerEntry LeastRecentlyUsedVictim()
    {
        for (var node = _byUse.Last; node is not null; node = node.Previous)
        {
            if (node.Value.State == CircuitState.Closed)
            {
                return node.Value;
            }
        }
        return _byUse.Last!.Value;
    }

    private void ReportEvicted(CircuitBreakerEntry? evicted)
    {
        if (evicted is null)
        {
            return;
        }
        var last = evicted.Evict();
        LogEvicted(evicted.Key, last);
        if (last != CircuitState.Closed)
        {
            Raise(new CircuitStateChangedEventArgs(evicted.Key, last, CircuitState.Closed, _timeProvider.GetUtcNow(), null, isManual: false, null));
        }
    }
}
