using Microsoft.Extensions.Logging;
using Resilink.Net.Diagnostics;
using Resilink.Net.Identity;
using Resilink.Net.Muxing.Yamux;
using Resilink.Net.Negotiation;
using Resilink.Net.Security.Noise;
using Resilink.Net.Transport;

namespace Resilink.Net.Swarm;

/// <summary>
/// Turns a raw transport connection into a <see cref="Libp2pConnection"/>:
/// multistream-select <c>/noise</c>, the Noise XX handshake (offering <c>/yamux/1.0.0</c> in its <c>stream_muxers</c>
/// extension), multistream-select <c>/yamux/1.0.0</c> unless the handshake already chose it, a Yamux session.
/// On any failure the transport connection is aborted, so nothing half-open is left behind.
/// </summary>
internal sealed partial class ConnectionUpgrader(
    KeyPair identity,
    YamuxOptions yamuxOptions,
    TimeSpan negotiationTimeout,
    ILoggerFactory loggerFactory,
    TimeProvider timeProvider)
{
    private static readonly string[] SecurityProtocols = [NoiseHandshake.ProtocolId];
    private static readonly string[] MuxerProtocols = [YamuxSession.ProtocolId];
    private readonly ILogger _logger = loggerFactory.CreateLogger<ConnectionUpgrader>();
    private long _nextConnectionId;

    /// <summary>
    /// True when the Noise handshake already chose the muxer (both sides listed muxers), so the multistream-select
    /// round for it is skipped on both sides. We only offer Yamux, so any early result is Yamux.
    /// </summary>
    private static bool NegotiatedEarly(NoiseSecureStream secure)
    {
        if (secure.EarlyMuxer is null)
        {
            return false;
        }
        if (secure.EarlyMuxer != YamuxSession.ProtocolId)
        {
            throw new InvalidOperationException($"Noise negotiated the stream muxer {secure.EarlyMuxer}, which was not offered.");
        }
        return true;
    }

    public Task<Libp2pConnection> UpgradeOutboundAsync(ITransportConnection transport, PeerId? expectedPeer, CancellationToken cancellationToken) =>
        UpgradeAsync(transport, ConnectionDirection.Outbound, expectedPeer, cancellationToken);

    public Task<Libp2pConnection> UpgradeInboundAsync(ITransportConnection transport, CancellationToken cancellationToken) =>
        UpgradeAsync(transport, ConnectionDirection.Inbound, expectedPeer: null, cancellationToken);

    private async Task<Libp2pConnection> UpgradeAsync(
        ITransportConnection transport,
        ConnectionDirection direction,
        PeerId? expectedPeer,
        CancellationToken cancellationToken)
    {
        NoiseSecureStream? secure = null;
        using var activity = ResilinkActivitySource.Source.StartActivity(ResilinkActivitySource.HandshakeActivity);
        activity?.SetTag("resilink.direction", direction == ConnectionDirection.Outbound ? "outbound" : "inbound");
        try
        {
            var outbound = direction == ConnectionDirection.Outbound;
            if (outbound)
            {
                await MultistreamSelect.SelectOneAsync(transport.Stream, SecurityProtocols, cancellationToken).ConfigureAwait(false);
                secure = await NoiseHandshake.SecureOutboundAsync(transport.Stream, identity, expectedPeer, MuxerProtocols, cancellationToken).ConfigureAwait(false);
                if (!NegotiatedEarly(secure))
                {
                    await MultistreamSelect.SelectOneAsync(secure, MuxerProtocols, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                await MultistreamSelect.HandleAsync(transport.Stream, SecurityProtocols.Contains, null, cancellationToken).ConfigureAwait(false);
                secure = await NoiseHandshake.SecureInboundAsync(transport.Stream, identity, MuxerProtocols, cancellationToken).ConfigureAwait(false);
                if (!NegotiatedEarly(secure))
                {
                    await MultistreamSelect.HandleAsync(secure, MuxerProtocols.Contains, null, cancellationToken).ConfigureAwait(false);
                }
            }

            Log.MuxerSelected(_logger, direction, secure.RemotePeer, YamuxSession.ProtocolId, secure.EarlyMuxer is not null);
            var session = new YamuxSession(secure, isInitiator: outbound, yamuxOptions, loggerFactory.CreateLogger<YamuxSession>(), timeProvider);
            var id = "c" + Interlocked.Increment(ref _nextConnectionId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var connection = new Libp2pConnection(id, transport, secure, session, direction, timeProvider, negotiationTimeout);
            session.Start();
            activity?.SetTag("resilink.peer.id", connection.PeerKey);
            activity?.SetTag("resilink.muxer.early", connection.UsedEarlyMuxerNegotiation);
            return connection;
        }
        catch (Exception ex)
        {
            ResilinkActivitySource.RecordError(activity, ex);
            transport.Abort();
            if (secure is not null)
            {
                await secure.DisposeAsync().ConfigureAwait(false); // its sender loop and pooled buffers
            }
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Direction} connection to {Peer}: muxer {Muxer} (chosen in the Noise handshake: {InHandshake})")]
        public static partial void MuxerSelected(ILogger logger, ConnectionDirection direction, PeerId peer, string muxer, bool inHandshake);
    }
}
