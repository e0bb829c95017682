using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Resilink.Monitoring;
using Resilink.Threading;

namespace Resilink.Health;

/// <summary>
/// Watches the health of many connections: pings each one every <see cref="HealthOptions.HealthCheckInterval"/> over
/// that very connection, folds in passive failure reports, scores and classifies every connection, and raises
/// <see cref="StatusChanged"/> on every status change. Knows nothing of sockets: anything <see cref="IHealthTracked"/>
/// can be monitored (libp2p connections, pooled client connections).
/// </summary>
/// <remarks>
/// What to do about a sick connection (stop routing to it, replace it, close it) is the owner's decision, taken in a
/// <see cref="StatusChanged"/> handler; the monitor only marks it with <see cref="ConnectionHealth.IsRoutable"/> = false
/// when it becomes <see cref="HealthStatus.Unhealthy"/> or <see cref="HealthStatus.Dead"/>.
/// </remarks>
public sealed partial class HealthMonitor : IAsyncDisposable
{
    private readonly ConcurrentDictionary<IHealthTracked, MonitoredConnection> _tracked = new(ReferenceEqualityComparer.Instance);
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _pingSlots;
    private readonly IConnectionMonitor _reporter;
    private readonly PeriodicRounds _rounds;

    /// <summary>Initializes a new instance of the <see cref="HealthMonitor"/> class; call <see cref="Start"/> to begin the periodic checks.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="timeProvider">The clock of every interval and timeout; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Where status changes and failed checks are logged; none when null.</param>
    /// <param name="connectionMonitor">Where ping round trips and status changes are reported; none when null.</param>
    public HealthMonitor(
        HealthOptions options,
        TimeProvider? timeProvider = null,
        ILogger<HealthMonitor>? logger = null,
        IConnectionMonitor? connectionMonitor = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _pingSlots = new SemaphoreSlim(options.MaxConcurrentPings);
        _reporter = connectionMonitor ?? NullConnectionMonitor.Instance;
        _rounds = new PeriodicRounds(options.HealthCheckInterval, _timeProvider, ct => CheckAllAsync(ct));
    }

    /// <summary>Raised after every status change of a monitored connection, outside any lock. Handlers must not throw (they are logged if they do).</summary>
    public event EventHandler<HealthStatusChangedEventArgs>? StatusChanged;

    /// <summary>Gets the settings.</summary>
    public HealthOptions Options { get; }

    /// <summary>Gets how many connections are monitored.</summary>
    public int Count => _tracked.Count;

    /// <summary>Starts monitoring <paramref name="connection"/> (idempotent); it is first pinged at the next check round.</summary>
    /// <param name="connection">The connection.</param>
    /// <returns>Its health record.</returns>
    public ConnectionHealth Track(IHealthTracked connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return _tracked.GetOrAdd(
            connection,
            static (c, self) => new MonitoredConnection(c, new ConnectionHealth(c.Id, c.PeerKey, c.OpenedAt, self.Options, self._timeProvider)),
            this).Health;
    }

    /// <summary>
    /// Stops monitoring <paramref name="connection"/> because it closed: it becomes <see cref="HealthStatus.Closed"/>
    /// when <paramref name="closedLocally"/>, otherwise <see cref="HealthStatus.Dead"/> (raising
    /// <see cref="StatusChanged"/>), and leaves the monitor. A connection already Dead stays Dead.
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="reason">Why it closed, for the event and the history.</param>
    /// <param name="closedLocally">True when this side closed it on purpose (shutdown, a deliberate close or retirement).</param>
    /// <returns>False if it was not monitored.</returns>
    public bool Untrack(IHealthTracked connection, string reason, bool closedLocally = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!_tracked.TryRemove(connection, out MonitoredConnection? entry))
        {
            return false;
        }

        ConnectionHealth health = entry.Health;
        health.ObserveByteTotals(connection.BytesReceived, connection.BytesSent);
        health.MarkClosed(reason, closedLocally); // records the Closed event too
        Evaluate(connection, health);
        return true;
    }

    /// <summary>Gets the health record of <paramref name="connection"/>, or null if it is not monitored.</summary>
    /// <param name="connection">The connection.</param>
    /// <returns>The record or null.</returns>
    public ConnectionHealth? Find(IHealthTracked connection) =>
        connection is not null && _tracked.TryGetValue(connection, out MonitoredConnection? entry) ? entry.Health : null;

    /// <summary>
    /// Whether new work may go to <paramref name="connection"/>: true unless it is monitored and was taken out of
    /// rotation (<see cref="HealthStatus.Unhealthy"/> or <see cref="HealthStatus.Dead"/>).
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <returns>True when it may get new streams.</returns>
    public bool IsRoutable(IHealthTracked connection) => Find(connection)?.IsRoutable ?? true;

    /// <summary>
    /// A passive signal from real traffic (a stream that failed to open, timed out or was reset): recorded and scored
    /// at once, without waiting for the next ping.
    /// </summary>
    /// <param name="connection">The connection it happened on.</param>
    /// <param name="errorType">A short stable kind, e.g. <c>stream_reset</c>.</param>
    /// <param name="message">What happened.</param>
    public void ReportStreamFailure(IHealthTracked connection, string errorType, string message)
    {
        if (Find(connection) is { } health)
        {
            health.RecordStreamFailure(errorType, message);
            Evaluate(connection, health);
        }
    }

    /// <summary>Reports a stream opened on <paramref name="connection"/> (counted in its snapshot).</summary>
    /// <param name="connection">The connection.</param>
    public void ReportStreamOpened(IHealthTracked connection) => Find(connection)?.RecordStreamOpened();

    /// <summary>A point-in-time snapshot of <paramref name="connection"/>'s health, or null if it is not monitored.</summary>
    /// <param name="connection">The connection.</param>
    /// <returns>The snapshot or null.</returns>
    public ConnectionHealthSnapshot? Snapshot(IHealthTracked connection)
    {
        if (Find(connection) is not { } health)
        {
            return null;
        }

        health.ObserveByteTotals(connection.BytesReceived, connection.BytesSent);
        return health.Snapshot(connection.ActiveStreams);
    }

    /// <summary>Starts the periodic check rounds (idempotent).</summary>
    public void Start() => _rounds.Start(this);

    /// <summary>Stops the check rounds and waits for pings in flight to end. Monitored records stay readable.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync() => await _rounds.StopAsync().ConfigureAwait(false);

    private void Evaluate(IHealthTracked connection, ConnectionHealth health)
    {
        HealthStatusChangedEventArgs? change = health.Evaluate();
        connection.Stats.HealthScore = health.Score; // what the health-based strategy reads
        if (change is null)
        {
            return;
        }

        if (change.Current is HealthStatus.Unhealthy or HealthStatus.Dead && health.IsRoutable)
        {
            health.IsRoutable = false;
            health.RecordEvent(ConnectionEventKind.Excluded, change.Reason);
        }

        LogStatusChanged(change.ConnectionId, change.PeerKey, change.Previous, change.Current, change.Score, change.Reason);
        _reporter.OnHealthStatusChanged(new(change.ConnectionId, change.PeerKey, change.Previous, change.Current, change.Score));
        try
        {
            StatusChanged?.Invoke(this, change);
        }
#pragma warning disable CA1031 // A failing subscriber must not stop the monitor.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogHandlerFailed(ex, change.ConnectionId);
        }
    }
}
