using System.Collections.Concurrent;
using Resilink.Health;
using Resilink.Net.Identity;
using Resilink.Net.Swarm;

namespace Resilink.Net.Host;

// Self-healing: a connection that turns Unhealthy or Dead gets no new streams (the monitor marks it), a replacement is
// dialed, and the sick one is closed once its in-flight streams are done or the drain timeout passes.
public sealed partial class Libp2pHost
{
    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<PeerId, int> _pendingReplacements = new();
    private readonly ConcurrentDictionary<string, byte> _retiring = new(StringComparer.Ordinal);

    private void OnHealthStatusChanged(object? sender, HealthStatusChangedEventArgs change)
    {
        HealthStatusChanged?.Invoke(this, change);
        if (change.Current is not (HealthStatus.Unhealthy or HealthStatus.Dead)
            || !_monitored.TryGetValue(change.ConnectionId, out var connection)
            || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        if (!connection.IsClosed)
        {
            if (_retiring.TryAdd(connection.Id, 0))
            {
                RequestReplacement(connection, change.Reason);
                _background.Run($"retire {connection.Id}", () => RetireAsync(connection, change.Current));
            }
        }
        else if (connection.CloseReason is not null && !_retiring.ContainsKey(connection.Id))
        {
            // Closed abnormally under us (reset, transport error): replace it. A graceful close by the peer is its choice.
            RequestReplacement(connection, change.Reason);
        }
    }

    private void RequestReplacement(Libp2pConnection sick, string reason)
    {
        if (!_options.Health.ReplaceUnhealthyConnections)
        {
            return;
        }

        var peer = sick.RemotePeer;
        var healthy = LiveConnections(peer).Count(c => !ReferenceEquals(c, sick) && HealthMonitor!.IsRoutable(c));
        var pending = _pendingReplacements.AddOrUpdate(peer, 1, (_, n) => n + 1);
        if (healthy + pending > _options.Connections.MaxConnectionsPerPeer)
        {
            _pendingReplacements.AddOrUpdate(peer, 0, (_, n) => n - 1);
            return; // already at the maximum without it
        }

        LogReplacing(sick.Id, peer, reason);
        HealthMonitor!.Find(sick)?.RecordEvent(ConnectionEventKind.ReplacementRequested, reason);
        _background.Run($"replace {sick.Id}", async () =>
        {
            try
            {
                var replacement = await DialKnownAddressesWithRetryAsync(peer, _shutdown.Token).ConfigureAwait(false);
                LogReplaced(sick.Id, replacement.Id, peer);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_shutdown.IsCancellationRequested)
            {
                LogReplacementFailed(ex, sick.Id, peer);
            }
            finally
            {
                _pendingReplacements.AddOrUpdate(peer, 0, (_, n) => n - 1);
            }
        });
    }

    private async Task RetireAsync(Libp2pConnection connection, HealthStatus status)
    {
        var drainTimeout = _options.Health.DrainTimeout;
        var started = _timeProvider.GetTimestamp();
        while (!connection.IsClosed && connection.ActiveStreamCount > 0 && _timeProvider.GetElapsedTime(started) < drainTimeout)
        {
            try
            {
                await Task.Delay(DrainPollInterval, _timeProvider, _shutdown.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // the host is closing every connection anyway
            }
        }

        LogRetiring(connection.Id, connection.RemotePeer, status, connection.ActiveStreamCount);
        if (status == HealthStatus.Dead)
        {
            connection.Abort(); // nothing gets through a dead connection; a graceful close would only wait
        }
        else
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
