namespace Resilink.Telemetry.Internal;

/// <summary>
/// A map from string keys to values that holds at most <c>capacity</c> entries: adding one more evicts the entry set
/// longest ago. Thread-safe (one lock; every operation is O(1)).
/// </summary>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class BoundedLruMap<TValue>
{
    private readonly Dictionary<string, LinkedListNode<KeyValuePair<string, TValue>>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<KeyValuePair<string, TValue>> _order = new();
    private readonly Lock _gate = new();
    private readonly int _capacity;

    /// <summary>Creates a map that holds at most <paramref name="capacity"/> entries.</summary>
    /// <param name="capacity">At least 1.</param>
    public BoundedLruMap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Gets the number of entries.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _map.Count;
            }
        }
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> and makes it the most recent entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The new value.</param>
    /// <param name="previous">The value it replaced, if the key was present.</param>
    /// <param name="evicted">The entry evicted to make room, if any.</param>
    /// <returns>True if the key was present (<paramref name="previous"/> is set).</returns>
    public bool Set(string key, TValue value, out TValue? previous, out KeyValuePair<string, TValue>? evicted)
    {
        evicted = null;
        var entry = new KeyValuePair<string, TValue>(key, value);
        lock (_gate)
        {
            if (_map.TryGetValue(key, out LinkedListNode<KeyValuePair<string, TValue>>? node))
            {
                previous = node.Value.Value;
                node.Value = entry;
                _order.Remove(node);
                _order.AddLast(node);
                return true;
            }

            previous = default;
            if (_map.Count >= _capacity)
            {
                node = _order.First!;
                evicted = node.Value;
                _map.Remove(node.Value.Key);
                _order.RemoveFirst();
                node.Value = entry;
            }
            else
            {
                node = new LinkedListNode<KeyValuePair<string, TValue>>(entry);
            }

            _order.AddLast(node);
            _map.Add(key, node);
            return false;
        }
    }

    /// <summary>Removes <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">Its value, if it was present.</param>
    /// <returns>True if it was present.</returns>
    public bool TryRemove(string key, out TValue? value)
    {
        lock (_gate)
        {
            if (_map.Remove(key, out LinkedListNode<KeyValuePair<string, TValue>>? node))
            {
                _order.Remove(node);
                value = node.Value.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
