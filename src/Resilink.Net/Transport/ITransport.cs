using Resilink.Net.Addressing;

namespace Resilink.Net.Transport;

/// <summary>A way of opening raw byte-stream connections to multiaddrs and accepting them.</summary>
public interface ITransport
{
    /// <summary>Whether <paramref name="address"/> is something this transport can dial.</summary>
    bool CanDial(Multiaddr address);

    /// <summary>Opens a connection to <paramref name="address"/>.</summary>
    ValueTask<ITransportConnection> DialAsync(Multiaddr address, CancellationToken ct = default);

    /// <summary>Starts listening on <paramref name="address"/>.</summary>
    ValueTask<ITransportListener> ListenAsync(Multiaddr address, CancellationToken ct = default);
}

/// <summary>A raw, not yet secured or multiplexed, connection.</summary>
public interface ITransportConnection : IAsyncDisposable
{
    /// <summary>The duplex byte stream. Disposing the connection disposes it.</summary>
    Stream Stream { get; }

    /// <summary>This side's address.</summary>
    Multiaddr LocalAddress { get; }

    /// <summary>The peer's address (as observed, without <c>/p2p</c>).</summary>
    Multiaddr RemoteAddress { get; }

    /// <summary>Closes abruptly (TCP: RST, no graceful shutdown); the peer's reads end promptly.</summary>
    void Abort();
}

/// <summary>Accepts inbound connections until disposed.</summary>
public interface ITransportListener : IAsyncDisposable
{
    /// <summary>The address actually bound (the real port when port 0 was requested).</summary>
    Multiaddr LocalAddress { get; }

    /// <summary>
    /// Waits for the next inbound connection. Disposing the listener ends a pending call with
    /// <see cref="ObjectDisposedException"/>; cancelling <paramref name="ct"/> ends it with <see cref="OperationCanceledException"/>.
    /// </summary>
    ValueTask<ITransportConnection> AcceptAsync(CancellationToken ct = default);
}
