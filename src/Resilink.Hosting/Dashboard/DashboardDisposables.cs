namespace Resilink.Hosting.Dashboard;

/// <summary>
/// What <c>MapResilinkDashboard</c> creates that must go with the application's services: the container disposes this
/// singleton, so the dashboard's event hub lets go of the host's events even when the application never started (and
/// so never raised ApplicationStopping), e.g. because its port was taken.
/// </summary>
internal sealed class DashboardDisposables : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<IDisposable> _items = [];
    private bool _disposed;

    /// <summary>Adds <paramref name="item"/>; disposes it at once if this has been disposed already.</summary>
    public void Add(IDisposable item)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _items.Add(item);
                return;
            }
        }
        item.Dispose();
    }

    public void Dispose()
    {
        List<IDisposable> items;
        lock (_gate)
        {
            _disposed = true;
            items = [.. _items];
            _items.Clear();
        }
        foreach (var item in items)
        {
            item.Dispose();
        }
    }
}
