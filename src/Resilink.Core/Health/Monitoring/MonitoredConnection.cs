namespace Resilink.Health;

/// <summary>A monitored connection, its health record, and whether a ping of it is in flight.</summary>
internal sealed class MonitoredConnection(IHealthTracked connection, ConnectionHealth health)
{
    private int _pinging;

    public IHealthTracked Connection { get; } = connection;

    public ConnectionHealth Health { get; } = health;

    /// <summary>Claims the right to ping; false while the previous ping is still out (a slow connection never gets two).</summary>
    public bool TryBeginPing() => Interlocked.Exchange(ref _pinging, 1) == 0;

    public void EndPing() => Volatile.Write(ref _pinging, 0);
}
