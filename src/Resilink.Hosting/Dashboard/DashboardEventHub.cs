using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Resilink.Alerting;
using Resilink.Health;
using Resilink.Net.Host;
using Resilink.Resilience;

namespace Resilink.Hosting.Dashboard;

/// <summary>One server-sent event: its name and its JSON data (one line).</summary>
internal readonly record struct DashboardEvent(string Name, string Data);

/// <summary>
/// Fans the node's live changes out to the open dashboards: a <c>snapshot</c> every second (built once for all of
/// them, and only while one is open), and <c>status</c>, <c>circuit</c> and <c>alert</c> events as they happen. Also
/// the alert manager's sink for the <c>alert</c> events. Each client has a small queue that drops its oldest event
/// when the client lags; the next snapshot carries the whole state anyway.
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
    private readonly List<Channel<DashboardEvent>> _clients = [];
    private Task _ticker = Task.CompletedTask;

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

    /// <summary>Gets a token cancelled when the application stops: open event streams end then.</summary>
    public CancellationToken Stopping => _stopping.Token;

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

    /// <summary>Adds a client; its queue gets every event from now on until <see cref="Unsubscribe"/>.</summary>
    public ChannelReader<DashboardEvent> Subscribe()
    {
        var channel = Channel.CreateBounded<DashboardEvent>(
            new BoundedChannelOptions(ClientQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _clients.Add(channel);
            if (_ticker.IsCompleted && !_stopping.IsCancellationRequested)
            {
                _ticker = TickAsync(_stopping.Token);
            }
        }
        return channel.Reader;
    }

    /// <summary>Removes a client added by <see cref="Subscribe"/>.</summary>
    public void Unsubscribe(ChannelReader<DashboardEvent> reader)
    {
        lock (_gate)
        {
            _clients.RemoveAll(c => c.Reader == reader);
        }
    }

    public static string Serialize(DashboardSnapshot snapshot) => JsonSerializer.Serialize(snapshot, DashboardJsonContext.Default.DashboardSnapshot);

    ValueTask IAlertSink.SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        Publish("alert", () => JsonSerializer.Serialize(DashboardSnapshotBuilder.ToAlert(alert), DashboardJsonContext.Default.DashboardAlert));
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _host.HealthStatusChanged -= OnHealthStatusChanged;
        _host.CircuitStateChanged -= OnCircuitStateChanged;
        _stopping.Cancel();
        lock (_gate)
        {
            foreach (var client in _clients)
            {
                client.Writer.TryComplete();
            }
            _clients.Clear();
        }
        // _stopping stays undisposed: a request that arrives during the shutdown still reads its (cancelled) token.
    }

    private void OnHealthStatusChanged(object? sender, HealthStatusChangedEventArgs e)
    {
        var change = DashboardSnapshotBuilder.ToStatusChange(e);
        _snapshots.Remember(change);
        Publish("status", () => JsonSerializer.Serialize(change, DashboardJsonContext.Default.DashboardStatusChange));
    }

    private void OnCircuitStateChanged(object? sender, CircuitStateChangedEventArgs e)
    {
        var change = new DashboardCircuitChange(e.Key, e.From.ToString(), e.To.ToString(), _time.GetUtcNow());
        Publish("circuit", () => JsonSerializer.Serialize(change, DashboardJsonContext.Default.DashboardCircuitChange));
    }

    /// <summary>Queues an event for every client; serializes only when there is one.</summary>
    private void Publish(string name, Func<string> data)
    {
        if (ClientCount == 0)
        {
            return;
        }
        // Built outside the lock: a snapshot of many connections takes a while, and health events must not wait for it.
        var item = new DashboardEvent(name, data());
        lock (_gate)
        {
            foreach (var client in _clients)
            {
                client.Writer.TryWrite(item);
            }
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
                Publish("snapshot", () => Serialize(_snapshots.Build()));
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
            lock (_gate)
            {
                foreach (var client in _clients)
                {
                    client.Writer.TryComplete();
                }
                _clients.Clear();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard snapshots failed; open dashboards were disconnected and will reconnect")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
