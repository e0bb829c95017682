using System.Threading.Channels;

namespace Resilink.Hosting.Dashboard;

/// <summary>
/// One open dashboard's outbox: at most one unsent snapshot, and a bounded queue of the small events. Written by the
/// hub, read by one request.
/// </summary>
internal sealed class DashboardClient
{
    private readonly Channel<DashboardEvent> _events;
    // Capacity 1, extra writes dropped: a "something is waiting" flag that can be awaited.
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private DashboardEvent? _snapshot;

    public DashboardClient(int capacity)
    {
        _events = Channel.CreateBounded<DashboardEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    }

    /// <summary>Gets the number of small events waiting (the snapshot aside).</summary>
    public int QueuedEvents => _events.Reader.Count;

    /// <summary>Gets whether a snapshot is waiting to be sent.</summary>
    public bool HasPendingSnapshot => Volatile.Read(ref _snapshot) is not null;

    public void OfferSnapshot(DashboardEvent snapshot)
    {
        Interlocked.Exchange(ref _snapshot, snapshot);
        _signal.Writer.TryWrite(true);
    }

    public void Enqueue(DashboardEvent item)
    {
        _events.Writer.TryWrite(item);
        _signal.Writer.TryWrite(true);
    }

    public void Complete()
    {
        _events.Writer.TryComplete();
        _signal.Writer.TryComplete();
    }

    /// <summary>Takes the waiting event with the lowest sequence number, the pending snapshot included.</summary>
    public bool TryRead(out DashboardEvent item)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (_events.Reader.TryPeek(out var queued) && (snapshot is null || queued.Sequence < snapshot.Sequence))
        {
            return _events.Reader.TryRead(out item!);
        }
        if (snapshot is not null && Interlocked.CompareExchange(ref _snapshot, null, snapshot) == snapshot)
        {
            item = snapshot;
            return true;
        }
        // A newer snapshot replaced it meanwhile: the caller reads again.
        item = null!;
        return Volatile.Read(ref _snapshot) is not null && TryRead(out item);
    }

    /// <summary>Waits until something may be waiting; false once the hub has completed this client.</summary>
    public async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (!await _signal.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        // Reset before the caller drains: anything offered during the drain sets it again.
        _signal.Reader.TryRead(out _);
        return true;
    }
}
