using Resilink.Net.Swarm;

namespace Resilink.Net.Protocols.Ping;

/// <summary>
/// Pings over one long-lived <c>/ipfs/ping/1.0.0</c> stream per connection (the spec allows many pings per stream, and
/// go-libp2p does the same), so a ping costs one round trip instead of a stream open, a negotiation and a round trip.
/// One ping at a time; a stream that failed or was cancelled mid-exchange is reset and replaced on the next ping.
/// </summary>
internal sealed class ConnectionPinger(Libp2pConnection connection, TimeProvider timeProvider) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Libp2pStream? _stream;
    private bool _disposed;

    /// <summary>Gets the number of streams this pinger holds open (0 or 1), so they are not counted as user streams.</summary>
    public int OpenStreams => Volatile.Read(ref _stream) is null ? 0 : 1;

    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
            if (_stream is { } existing)
            {
                try
                {
                    return await PingProtocol.RoundTripAsync(existing, timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException && !cancellationToken.IsCancellationRequested)
                {
                    // The responder may have closed an idle stream: one fresh stream decides, not a stale one.
                    Drop();
                }
                catch
                {
                    Drop();
                    throw;
                }
            }

            var stream = await connection.OpenStreamAsync([PingProtocol.ProtocolId], trackLoad: false, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _stream, stream);
            try
            {
                return await PingProtocol.RoundTripAsync(stream, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Drop();
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _disposed, true);
        if (!await _gate.WaitAsync(TimeSpan.Zero).ConfigureAwait(false))
        {
            Drop(); // a ping is in flight (maybe on a dead link): reset it instead of waiting out its timeout
            return;
        }

        try
        {
            if (Interlocked.Exchange(ref _stream, null) is { } stream)
            {
                await stream.DisposeAsync().ConfigureAwait(false); // FIN: the responder's loop ends cleanly
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // A ping half-done (reply not read) would desynchronize the stream: reset it and start over next time.
    private void Drop()
    {
        if (Interlocked.Exchange(ref _stream, null) is { } stream)
        {
            stream.Reset();
            stream.Dispose();
        }
    }
}
