using System.Collections.Concurrent;
using Resilink.Health;
using Resilink.Monitoring;
using Resilink.Resilience;
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
                RequestReplacement(connection, change.Current, change.Reason);
                _background.Run($"retire {connection.Id}", () => RetireAsync(connection, change.Current));
            }
        }
        else if (connection.CloseReason is not null && !_retiring.ContainsKey(connection.Id))
        {
            // Closed abnormally under us (reset, transport error): replace it. A graceful close by the peer is its choice.
            RequestReplacement(connection, change.Current, change.Reason);
        }
    }

    private void RequestReplacement(Libp2pConnection sick, HealthStatus status, string reason)
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
        ConnectionMonitor.OnConnectionReplacement(new(sick.Id, sick.PeerKey, ReplacementReasons.For(status)));
        _background.Run($"replace {sick.Id}", async () =>
        {
            try
            {
                await ReplaceAsync(sick, peer, _shutdown.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_shutdown.IsCancellationRequested)
            {
                LogReplacementFailed(sick.Id, peer, ex.Message);
                LogFailureDetail(ex, "Replacing", sick.Id);
            }
            finally
            {
                _pendingReplacements.AddOrUpdate(peer, 0, (_, n) => n - 1);
            }
        });
    }

    /// <summary>
    /// Dials a replacement and keeps its slot until the replacement has passed its first health check. A peer at its
    /// own connection limit closes the new inbound at once while it has not yet noticed that the sick connection is
    /// gone, so a replacement closed that early is dialed again, with backoff, for as long as the peer needs to notice
    /// the fault with settings like ours (<see cref="ReplacementPatience"/>).
    /// </summary>
    private async Task ReplaceAsync(Libp2pConnection sick, PeerId peer, CancellationToken cancellationToken)
    {
        var backoff = new BackoffCalculator(_options.Connections.Retry);
        var started = _timeProvider.GetTimestamp();
        for (int round = 0; ; round++)
        {
            var replacement = await DialKnownAddressesWithRetryAsync(peer, cancellationToken).ConfigureAwait(false);
            if (await PassesFirstHealthCheckAsync(replacement, cancellationToken).ConfigureAwait(false))
            {
                LogReplaced(sick.Id, replacement.Id, peer);
                return;
            }
            var reason = replacement.CloseReason?.Message ?? "closed";
            var delay = backoff.GetDelay(round);
            if (_timeProvider.GetElapsedTime(started) + delay > ReplacementPatience)
            {
                throw new IOException(
                    $"Every replacement for {sick.Id} was closed before its first health check ({round + 1} tries in " +
                    $"{_timeProvider.GetElapsedTime(started).TotalSeconds:0.#} s; the last one, {replacement.Id}: {reason}).");
            }
            LogReplacementLost(replacement.Id, sick.Id, peer, reason);
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// How long a peer with our health settings takes at most to give up on a connection: failure-threshold plus one
    /// monitoring rounds (interval and ping timeout each), then the drain timeout.
    /// </summary>
    private TimeSpan ReplacementPatience =>
        ((_options.Health.HealthCheckInterval + _options.Health.PingTimeout) * (_options.Health.FailureThreshold + 1))
        + _options.Health.DrainTimeout;

    /// <summary>
    /// True once the monitor has given <paramref name="replacement"/> a status, or one monitoring round (interval plus
    /// ping timeout) has passed with it still open; false when it closes first.
    /// </summary>
    private async Task<bool> PassesFirstHealthCheckAsync(Libp2pConnection replacement, CancellationToken cancellationToken)
    {
        var round = _options.Health.HealthCheckInterval + _options.Health.PingTimeout;
        var started = _timeProvider.GetTimestamp();
        while (!replacement.IsClosed)
        {
            if (HealthMonitor!.Find(replacement)?.Status is { } status && status != HealthStatus.Unknown)
            {
                return status is not HealthStatus.Dead;
            }
            if (_timeProvider.GetElapsedTime(started) >= round)
            {
                return true;
            }
            await Task.Delay(DrainPollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        return false;
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
