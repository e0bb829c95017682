namespace Resilink.Health;

/// <summary>The latest entries of a history, up to a fixed capacity: adding to a full history drops the oldest entry.</summary>
/// <typeparam name="T">The entry type.</typeparam>
/// <remarks>Not thread-safe: the owner serializes calls.</remarks>
public sealed class BoundedHistory<T>
{
    private readonly T[] _items;
    private int _next;

    /// <summary>Initializes a new instance of the <see cref="BoundedHistory{T}"/> class.</summary>
    /// <param name="capacity">Entries kept; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public BoundedHistory(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new T[capacity];
    }

    /// <summary>Gets the number of entries kept now, at most the capacity.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the number of entries ever added, including those dropped since.</summary>
    public long TotalAdded { get; private set; }

    /// <summary>Adds an entry, dropping the oldest one if the history is full.</summary>
    /// <param name="item">The entry.</param>
    public void Add(T item)
    {
        _items[_next] = item;
        _next = (_next + 1) % _items.Length;
        Count = Math.Min(Count + 1, _items.Length);
        TotalAdded++;
    }

    /// <summary>Copies the kept entries, oldest first.</summary>
    /// <returns>A new array with <see cref="Count"/> entries.</returns>
    public T[] ToArray()
    {
        var copy = new T[Count];
        int oldest = (_next - Count + _items.Length) % _items.Length;
        for (int i = 0; i < Count; i++)
        {
            copy[i] = _items[(oldest + i) % _items.Length];
        }

        return copy;
    }
}
