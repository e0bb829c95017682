using System.Security.Cryptography;
using Resilink.Net.Swarm;

namespace Resilink.Net.Protocols.Ping;

/// <summary>
/// <c>/ipfs/ping/1.0.0</c>: the dialer sends 32 random bytes, the listener echoes them; repeated on one stream
/// until either side closes it.
/// </summary>
public static class PingProtocol
{
    /// <summary>The protocol ID.</summary>
    public const string ProtocolId = "/ipfs/ping/1.0.0";

    /// <summary>Size of every ping payload.</summary>
    public const int PayloadSize = 32;

    /// <summary>Pings the remote end of <paramref name="connection"/> once, on that very connection, and returns the round-trip time.</summary>
    /// <exception cref="InvalidDataException">The echo differs from what was sent.</exception>
    public static async Task<TimeSpan> PingAsync(Libp2pConnection connection, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(timeProvider);
        await using var stream = await connection.NewStreamAsync([ProtocolId], cancellationToken).ConfigureAwait(false);
        var rtt = await RoundTripAsync(stream, timeProvider, cancellationToken).ConfigureAwait(false);
        await stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
        return rtt;
    }

    /// <summary>Sends one ping on an open ping stream and waits for its echo.</summary>
    public static async Task<TimeSpan> RoundTripAsync(Stream stream, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var sent = new byte[PayloadSize];
        var received = new byte[PayloadSize];
        RandomNumberGenerator.Fill(sent);
        var started = timeProvider.GetTimestamp();
        await stream.WriteAsync(sent, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        await stream.ReadExactlyAsync(received, cancellationToken).ConfigureAwait(false);
        var rtt = timeProvider.GetElapsedTime(started);
        if (!sent.AsSpan().SequenceEqual(received))
        {
            throw new InvalidDataException("Ping reply does not match the payload sent.");
        }
        return rtt;
    }

    /// <summary>Serves pings until the remote closes the stream.</summary>
    internal static async Task RespondAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[PayloadSize];
        while (true)
        {
            var read = await stream.ReadAtLeastAsync(buffer, PayloadSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read < PayloadSize)
            {
                return; // A clean close (or a partial ping at close) ends the exchange.
            }
            await stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
