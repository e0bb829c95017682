namespace Resilink.Pooling;

/// <summary>
/// A small lock-free pool of <see cref="LeaseTicket{T}"/>s (the shape of Microsoft.Extensions.ObjectPool's default pool:
/// one fast slot, then an array scanned with compare-exchange). When it is empty a ticket is allocated; when it is full a
/// returned ticket is left to the GC, so it never blocks.
/// </summary>
internal sealed class LeaseTicketPool<T>(int capacity)
{
    private readonly LeaseTicket<T>?[] _items = new LeaseTicket<T>?[Math.Max(0, capacity - 1)];
    private LeaseTicket<T>? _fast;

    public LeaseTicket<T> Rent()
    {
        var item = _fast;
        if (item is not null && Interlocked.CompareExchange(ref _fast, null, item) == item)
        {
            return item;
        }
        var items = _items;
        for (int i = 0; i < items.Length; i++)
        {
            item = items[i];
            if (item is not null && Interlocked.CompareExchange(ref items[i], null, item) == item)
            {
                return item;
            }
        }
        return new LeaseTicket<T>();
    }

    public void Return(LeaseTicket<T> ticket)
    {
        ticket.Clear();
        if (_fast is null && Interlocked.CompareExchange(ref _fast, ticket, null) is null)
        {
            return;
        }
        var items = _items;
        for (int i = 0; i < items.Length && Interlocked.CompareExchange(ref items[i], ticket, null) is not null; i++)
        {
        }
    }
}
