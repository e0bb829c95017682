using System.Collections;
using Resilink.Health;

namespace Resilink.Pooling;

/// <summary>
/// The entries with a free lease, gathered for one strategy pick. One per thread and reused, so a pick allocates nothing;
/// cleared after each pick so it holds no closed connection alive.
/// </summary>
internal sealed class CandidateBuffer : IReadOnlyList<IHealthTracked>
{
    [ThreadStatic]
    private static CandidateBuffer? t_current;

    private IHealthTracked[] _items = new IHealthTracked[16];

    public int Count { get; private set; }

    public IHealthTracked this[int index] =>
        (uint)index < (uint)Count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The calling thread's buffer, empty. Use it synchronously (no await) and <see cref="Clear"/> it after.</summary>
    public static CandidateBuffer ForCurrentThread() => t_current ??= new CandidateBuffer();

    public void Add(IHealthTracked item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }
        _items[Count++] = item;
    }

    public void Clear()
    {
        Array.Clear(_items, 0, Count);
        Count = 0;
    }

    public IEnumerator<IHealthTracked> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return _items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
