using Resilink.Net.Muxing.Yamux;
using Resilink.Net.Negotiation;
using Resilink.Net.Protocols.Identify;
using Resilink.Net.Swarm;

namespace Resilink.Net.Host;

// Inbound streams: accept, negotiate the protocol, run the registered handler.
public sealed partial class Libp2pHost
{
    private async Task AcceptStreamsAsync(Libp2pConnection connection)
    {
        while (true)
        {
            YamuxStream stream;
            try
            {
                stream = await connection.Session.AcceptStreamAsync(_shutdown.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                return; // The connection (or the host) is closing.
            }
            _background.Run($"stream {connection.Id}/{stream.Id}", () => ServeStreamAsync(connection, stream));
        }
    }

    private async Task ServeStreamAsync(Libp2pConnection connection, YamuxStream stream)
    {
        string protocol;
        try
        {
            using var timeout = StartTimeout(_options.StreamNegotiationTimeout);
            protocol = await MultistreamSelect.HandleAsync(stream, _handlers.ContainsKey, () => [.. Protocols], timeout.Token)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or FormatException)
        {
            LogStreamNegotiationFailed(ex, connection.Id);
            stream.Reset();
            await stream.DisposeAsync().ConfigureAwait(false);
            return;
        }

        var libp2pStream = new Libp2pStream(stream, protocol, connection);
        if (!_handlers.TryGetValue(protocol, out var handler))
        {
            libp2pStream.Reset(); // Removed between negotiation and now.
            return;
        }
        try
        {
            await handler(libp2pStream, _shutdown.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (_shutdown.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The host is closing: a handler still serving (a peer's long-lived ping stream) was told to stop, or its
            // connection is going down with the host; either way it did not fail.
            libp2pStream.Reset();
        }
        catch (YamuxStreamResetException ex)
        {
            // The peer reset the stream (or the connection under it went): the peer's choice, not the handler's bug.
            LogHandlerStreamReset(protocol, connection.Id, ex.Message);
            libp2pStream.Reset();
        }
#pragma warning disable CA1031 // A user handler's failure resets its stream; it must not take the connection down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogHandlerFailed(ex, protocol, connection.Id);
            libp2pStream.Reset();
        }
        finally
        {
            await libp2pStream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IdentifyResponse DescribeSelf() =>
        new(_options.ProtocolVersion, _options.AgentVersion, ListenAddresses, [.. Protocols]);
}
