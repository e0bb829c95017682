namespace Resilink.Health;

/// <summary>Counts the failures (failed streams, connection errors) younger than the failure memory.</summary>
/// <remarks>
/// Keeps only the newest <c>maxTracked</c> timestamps: the count is only ever compared with
/// <see cref="HealthOptions.MaxFailedStreams"/>, so past MaxFailedStreams + 1 more precision buys nothing, and a
/// burst of failures cannot grow memory. Not thread-safe: the owner serializes calls.
/// </remarks>
internal sealed class RecentFailureWindow
{
    private readonly Queue<long> _timestamps = new();
    private readonly TimeSpan _memory;
    private readonly int _maxTracked;
    private readonly TimeProvider _timeProvider;

    public RecentFailureWindow(TimeSpan memory, int maxTracked, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(memory, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTracked, 1);
        _memory = memory;
        _maxTracked = maxTracked;
        _timeProvider = timeProvider;
    }

    public void Record()
    {
        if (_timestamps.Count == _maxTracked)
        {
            _timestamps.Dequeue();
        }

        _timestamps.Enqueue(_timeProvider.GetTimestamp());
    }

    /// <summary>Drops the failures as old as the memory or older and counts the rest (at most maxTracked).</summary>
    public int Count()
    {
        while (_timestamps.Count > 0 && _timeProvider.GetElapsedTime(_timestamps.Peek()) >= _memory)
        {
            _timestamps.Dequeue();
        }

        return _timestamps.Count;
    }
}
