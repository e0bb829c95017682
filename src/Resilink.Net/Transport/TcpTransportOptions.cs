namespace Resilink.Net.Transport;

/// <summary>Settings for <see cref="TcpTransport"/>.</summary>
public sealed class TcpTransportOptions
{
    /// <summary>How long a dial may take (DNS resolution included). <see cref="Timeout.InfiniteTimeSpan"/> disables it.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Disables Nagle's algorithm; handshakes are latency-bound, so this defaults to <see langword="true"/>.</summary>
    public bool NoDelay { get; set; } = true;

    /// <summary>Socket send buffer size in bytes, or <see langword="null"/> for the OS default.</summary>
    public int? SendBufferSize { get; set; }

    /// <summary>Socket receive buffer size in bytes, or <see langword="null"/> for the OS default.</summary>
    public int? ReceiveBufferSize { get; set; }

    /// <summary>
    /// How long a graceful close waits, after sending FIN, for the peer to close its side, reading and discarding
    /// what it still sends. Closing a socket with unread data makes the kernel send RST and drop our own unsent
    /// data, so the wait protects the last bytes we wrote. Default: 2 s.
    /// </summary>
    public TimeSpan LingerTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pending-connection queue length for listeners.</summary>
    public int ListenBacklog { get; set; } = 512;
}
