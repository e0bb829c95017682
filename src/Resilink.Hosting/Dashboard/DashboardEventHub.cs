using System.Text.Json;
using Microsoft.Extensions.Logging;
using Resilink.Alerting;
using Resilink.Health;
using Resilink.Net.Host;
using Resilink.Resilience;

namespace Resilink.Hosting.Dashboard;

/// <summary>
/// Fans the node's live changes out to the open dashboards: a <c>snapshot</c> every second (built and encoded once for
/// all of them, and only while one is open), and <c>status</c>, <c>circuit</c> and <c>alert</c> events as they happen.
/// Also the alert manager's sink for the <c>alert</c> events. A client holds at most one unsent snapshot (a newer one
/// replaces it: it carries the whole state) and a small queue of the other events that drops its oldest when the
/// client lags, so a slow client costs a bounded amount however many peers the snapshots list.
/// </summary>
internal sealed partial class DashboardEventHub : IAlertSink, IDisposable
{
    private const int ClientQueueCapacity = 64;

    private readonly Libp2pHost _host;
    private readonly DashboardSnapshotBuilder _snapshots;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Lock _buildGate = new();
    private readonly List<DashboardClient> _clients = [];
    private Task _ticker = Task.CompletedTask;
    private DashboardEvent? _lastSnapshot;
    private long _sequence;
    private int _disposed;

    public DashboardEventHub(Libp2pHost host, DashboardSnapshotBuilder snapshots, TimeProvider time, ILogger<DashboardEventHub> logger)
    {
        _host = host;
        _snapshots = snapshots;
        _time = time;
        _logger = logger;
        host.HealthStatusChanged += OnHealthStatusChanged;
        host.CircuitStateChanged += OnCircuitStateChanged;
    }

    /// <summary>Gets the interval between snapshot events.</summary>
    public static TimeSpan SnapshotInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets how long a built snapshot answers further requests: many at once build it once.</summary>
    public static TimeSpan SnapshotReuse { get; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Gets a token cancelled when the application stops: open event streams end then.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Gets whether <see cref="Dispose"/> has run (the host's events are no longer handled).</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Gets the number of dashboards connected now.</summary>
    public int ClientCount
    {
        get
        {
            lock (_gate)
            {
                return _clients.Count;
            }
        }
    }

    string IAlertSink.Name => "dashboard";

    /// <summary>Adds a client; it gets every event from now on until <see cref="Unsubscribe"/>.</summary>
    public DashboardClient Subscribe()
    {
        var client = new DashboardClient(ClientQueueCapacity);
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                client.Complete();
                return client;
            }
            _clients.Add(client);
            if (_ticker.IsCompleted)
            {
                _ticker = TickAsync(_stopping.Token);
            }
        }
        return client;
    }

    /// <summary>Removes a client added by <see cref="Subscribe"/>.</summary>
    public void Unsubscribe(DashboardClient client)
    {
        lock (_gate)
        {
            _clients.Remove(client);
        }
    }

    /// <summary>
    /// The current snapshot, encoded: the last one built if it is younger than <paramref name="maxAge"/>, else a new one.
    /// One build at a time; callers that waited for it reuse it.
    /// </summary>
    public DashboardEvent Snapshot(TimeSpan maxAge)
    {
        lock (_buildGate)
        {
            if (maxAge > TimeSpan.Zero && _lastSnapshot is { } last && _time.GetUtcNow() - last.BuiltAt <= maxAge)
            {
                return last;
            }
            // Numbered before the host is read: see DashboardEvent.Sequence.
            var sequence = Interlocked.Increment(ref _sequence);
            var snapshot = _snapshots.Build();
            var body = JsonSerializer.SerializeToUtf8Bytes(snapshot, DashboardJsonContext.Default.DashboardSnapshot);
            return _lastSnapshot = DashboardEvent.Create("snapshot", sequence, body) with { BuiltAt = snapshot.Timestamp };
        }
    }

    /// <summary>Builds a snapshot and hands it to every client, replacing any snapshot a client has not sent yet.</summary>
    public void PublishSnapshot()
    {
        if (ClientCount == 0)
        {
            return;
        }
        var item = Snapshot(TimeSpan.Zero);
        lock (_gate)
        {
            foreach (var client in _clients)
            {
                client.OfferSnapshot(item);
            }
        }
    }

    ValueTask IAlertSink.SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        Publish("alert", () => JsonSerializer.SerializeToUtf8Bytes(DashboardSnapshotBuilder.ToAlert(alert), DashboardJsonContext.Default.DashboardAlert));
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _host.HealthStatusChanged -= OnHealthStatusChanged;
        _host.CircuitStateChanged -= OnCircuitStateChanged;
        _stopping.Cancel();
        CompleteAll();
        // _stopping stays undisposed: a request that arrives during the shutdown still reads its (cancelled) token.
    }

    private void OnHealthStatusChanged(object? sender, HealthStatusChangedEventArgs e)
    {
        var change = DashboardSnapshotBuilder.ToStatusChange(e);
        _snapshots.Remember(change);
        Publish("status", () => JsonSerializer.SerializeToUtf8Bytes(change, DashboardJsonContext.Default.DashboardStatusChange));
    }

    private void OnCircuitStateChanged(object? sender, CircuitStateChangedEventArgs e)
    {
        var change = new DashboardCircuitChange(e.Key, e.From.ToString(), e.To.ToString(), _time.GetUtcNow());
        Publish("circuit", () => JsonSerializer.SerializeToUtf8Bytes(change, DashboardJsonContext.Default.DashboardCircuitChange));
    }

    /// <summary>Queues a small event for every client; serializes only when there is one.</summary>
    private void Publish(string name, Func<byte[]> data)
    {
        if (ClientCount == 0)
        {
            return;
        }
        var body = data();
        lock (_gate)
        {
            // Numbered under the lock, so every client's queue is in sequence order.
            var item = DashboardEvent.Create(name, Interlocked.Increment(ref _sequence), body);
            foreach (var client in _clients)
            {
                client.Enqueue(item);
            }
        }
    }

    private void CompleteAll()
    {
        lock (_gate)
        {
            foreach (var client in _clients)
            {
                client.Complete();
            }
            _clients.Clear();
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SnapshotInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    if (_clients.Count == 0)
                    {
                        // Nobody watching: stop building snapshots (the next Subscribe starts a new ticker).
                        _ticker = Task.CompletedTask;
                        return;
                    }
                }
                PublishSnapshot();
            }
        }
        catch (OperationCanceledException)
        {
            // The application is stopping.
        }
#pragma warning disable CA1031 // A failed snapshot must not leave the dashboards silent for good; they reconnect and restart it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogTickFailed(_logger, ex);
            CompleteAll();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard snapshots failed; open dashboards were disconnected and will reconnect")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
