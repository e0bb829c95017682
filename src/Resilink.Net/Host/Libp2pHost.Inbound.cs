using Resilink.Monitoring;
using Resilink.Net.Transport;

namespace Resilink.Net.Host;

// Inbound side: the accept loop and the upgrade of accepted connections, within the inbound limits.
public sealed partial class Libp2pHost
{
    private async Task AcceptLoopAsync(ITransportListener listener)
    {
        var token = _shutdown.Token;
        while (!token.IsCancellationRequested)
        {
            ITransportConnection raw;
            try
            {
                raw = await listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
            {
                // A failed accept (a client reset before we took it, or out of file descriptors) must not stop the
                // listener; pause briefly so that a persistent condition does not turn into a busy loop.
                LogAcceptFailed(ex, listener.LocalAddress);
                await Task.Delay(AcceptRetryDelay, _timeProvider, token).ConfigureAwait(false);
                continue;
            }

            var upgrading = _options.MaxConcurrentInboundUpgrades - _upgradeSlots.CurrentCount;
            if (Volatile.Read(ref _inboundConnections) + upgrading >= _options.MaxInboundConnections)
            {
                // Refuse at the door: an inbound flood must not cost us handshakes, buffers or the slots of real peers.
                LogInboundRefused(raw.RemoteAddress, _options.MaxInboundConnections);
                raw.Abort();
                await raw.DisposeAsync().ConfigureAwait(false);
                continue;
            }

            try
            {
                await _upgradeSlots.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                raw.Abort();
                await raw.DisposeAsync().ConfigureAwait(false);
                return;
            }
            _background.Run($"upgrade {raw.RemoteAddress}", () => UpgradeInboundAsync(raw));
        }
    }

    private async Task UpgradeInboundAsync(ITransportConnection raw)
    {
        var remote = raw.RemoteAddress.ToString();
        var startedAt = _timeProvider.GetTimestamp();
        ConnectionMonitor.OnConnectionStateChanged(new(null, remote, ConnectionState.Disconnected, ConnectionState.Connecting, null));
        try
        {
            using var timeout = StartTimeout(_options.InboundHandshakeTimeout);
            var connection = await _upgrader.UpgradeInboundAsync(raw, timeout.Token).ConfigureAwait(false);
            ReportAttemptSucceeded(connection, startedAt);
            ConnectionMonitor.OnConnectionStateChanged(new(connection.Id, connection.PeerKey, ConnectionState.Connecting, ConnectionState.Connected, null));
            Register(connection);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_shutdown.IsCancellationRequested)
        {
            // A bad or slow inbound peer costs us only its own connection (the upgrader already closed it).
            LogInboundUpgradeFailed(ex, raw.RemoteAddress);
            var error = ex is OperationCanceledException ? new TimeoutException("The inbound handshake timed out.", ex) : ex;
            ReportAttemptFailed(remote, startedAt, inbound: true, error);
            ConnectionMonitor.OnConnectionStateChanged(new(null, remote, ConnectionState.Connecting, ConnectionState.Failed, error.Message));
        }
        finally
        {
            _upgradeSlots.Release();
        }
    }
}
