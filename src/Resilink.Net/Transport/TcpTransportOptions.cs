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

    /// <summary>Pending-connection queue length for listeners.</summary>
    public int ListenBacklog { get; set; } = 512;
}
