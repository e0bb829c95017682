using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Resilink.Net.Addressing;

namespace Resilink.Net.Transport;

/// <summary>
/// TCP transport for <c>/ip4|ip6|dns|dns4|dns6/.../tcp/port</c> addresses; a trailing <c>/p2p/id</c> is ignored.
/// </summary>
public sealed class TcpTransport : ITransport
{
    private readonly TcpTransportOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the transport.</summary>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="timeProvider">Clock for the connect timeout; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">The connect timeout is neither positive nor infinite, or the backlog is not positive.</exception>
    public TcpTransport(TcpTransportOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new TcpTransportOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
        if (_options.ConnectTimeout <= TimeSpan.Zero && _options.ConnectTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ConnectTimeout must be positive or infinite.");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.ListenBacklog, nameof(options));
    }

    /// <inheritdoc />
    public bool CanDial(Multiaddr address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.TryGetTcpEndPoint(out _);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The address is not a TCP address.</exception>
    /// <exception cref="TimeoutException">The dial took longer than <see cref="TcpTransportOptions.ConnectTimeout"/>.</exception>
    /// <exception cref="IOException">Resolution or connection failed (e.g. refused); the message names the address.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async ValueTask<ITransportConnection> DialAsync(Multiaddr address, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.TryGetTcpEndPoint(out var endPoint))
        {
            throw new ArgumentException($"TCP transport cannot dial '{address}'.", nameof(address));
        }

        using var timeoutCts = new CancellationTokenSource(_options.ConnectTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        try
        {
            var (addresses, port) = await ResolveAsync(address, endPoint, linked.Token).ConfigureAwait(false);
            SocketException? lastError = null;
            foreach (var ip in addresses)
            {
                var socket = CreateSocket(ip.AddressFamily);
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(ip, port), linked.Token).ConfigureAwait(false);
                    return new TcpTransportConnection(socket, _options.LingerTimeout, _timeProvider);
                }
                catch (SocketException ex)
                {
                    socket.Dispose();
                    lastError = ex;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }
            throw new IOException(
                $"Failed to dial {address}: {lastError?.Message ?? "no addresses"} ({lastError?.SocketErrorCode}).",
                lastError);
        }
        catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(
                CultureInfo.InvariantCulture,
                $"Dialing {address} timed out after {_options.ConnectTimeout.TotalMilliseconds} ms."));
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The address is not <c>/ip4|ip6/.../tcp/port</c>.</exception>
    /// <exception cref="IOException">Binding failed (e.g. address in use); the message names the address.</exception>
    public ValueTask<ITransportListener> ListenAsync(Multiaddr address, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ct.ThrowIfCancellationRequested();
        if (!address.TryGetTcpEndPoint(out var endPoint) || endPoint is not IPEndPoint ipEndPoint)
        {
            throw new ArgumentException($"TCP transport cannot listen on '{address}' (need /ip4 or /ip6 then /tcp).", nameof(address));
        }
        var socket = new Socket(ipEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ipEndPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }
            socket.Bind(ipEndPoint);
            socket.Listen(_options.ListenBacklog);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new IOException($"Failed to listen on {address}: {ex.Message} ({ex.SocketErrorCode}).", ex);
        }
        return ValueTask.FromResult<ITransportListener>(new TcpTransportListener(socket, this));
    }

    internal TcpTransportConnection Wrap(Socket socket) => new(socket, _options.LingerTimeout, _timeProvider);

    internal void Configure(Socket socket)
    {
        socket.NoDelay = _options.NoDelay;
        if (_options.SendBufferSize is { } send)
        {
            socket.SendBufferSize = send;
        }
        if (_options.ReceiveBufferSize is { } receive)
        {
            socket.ReceiveBufferSize = receive;
        }
    }

    private Socket CreateSocket(AddressFamily family)
    {
        var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            Configure(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return socket;
    }

    private static async ValueTask<(IPAddress[] Addresses, int Port)> ResolveAsync(Multiaddr address, EndPoint endPoint, CancellationToken ct)
    {
        if (endPoint is IPEndPoint ip)
        {
            return ([ip.Address], ip.Port);
        }
        var dns = (DnsEndPoint)endPoint;
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(dns.Host, dns.AddressFamily, ct).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new IOException($"Failed to dial {address}: cannot resolve '{dns.Host}': {ex.Message}.", ex);
        }
        if (dns.AddressFamily != AddressFamily.Unspecified)
        {
            addresses = [.. addresses.Where(a => a.AddressFamily == dns.AddressFamily)];
        }
        if (addresses.Length == 0)
        {
            throw new IOException($"Failed to dial {address}: '{dns.Host}' has no {dns.AddressFamily} addresses.");
        }
        return (addresses, dns.Port);
    }
}

/// <summary>
/// A TCP connection over a connected socket. The connection owns the socket; its <see cref="Stream"/> does not,
/// so upper layers disposing their streams never cut the socket short: <see cref="Abort"/> resets it,
/// <see cref="DisposeAsync"/> closes it gracefully (FIN, then a bounded lingering read, then close).
/// </summary>
internal sealed class TcpTransportConnection : ITransportConnection
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly TimeSpan _lingerTimeout;
    private readonly TimeProvider _timeProvider;
    private int _closed;

    public TcpTransportConnection(Socket socket, TimeSpan lingerTimeout, TimeProvider timeProvider)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _lingerTimeout = lingerTimeout;
        _timeProvider = timeProvider;
        LocalAddress = Multiaddr.FromEndPoint((IPEndPoint)socket.LocalEndPoint!);
        RemoteAddress = Multiaddr.FromEndPoint((IPEndPoint)socket.RemoteEndPoint!);
    }

    public Stream Stream => _stream;

    public Multiaddr LocalAddress { get; }

    public Multiaddr RemoteAddress { get; }

    public void Abort()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        try
        {
            // Linger on with a zero timeout makes close send RST instead of FIN.
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        _socket.Dispose();
        _stream.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            await DrainUntilPeerClosesAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Already reset or closed by the peer, or it kept talking past the linger timeout: close anyway.
        }
        _socket.Dispose();
        _stream.Dispose();
    }

    private async Task DrainUntilPeerClosesAsync()
    {
        using var linger = new CancellationTokenSource(_lingerTimeout, _timeProvider);
        var discard = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (await _socket.ReceiveAsync(discard, SocketFlags.None, linger.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(discard);
        }
    }

    public override string ToString() => $"{LocalAddress} <-> {RemoteAddress}";
}

/// <summary>A listening TCP socket.</summary>
internal sealed class TcpTransportListener : ITransportListener
{
    private readonly Socket _socket;
    private readonly TcpTransport _transport;
    private readonly CancellationTokenSource _disposed = new();
    private int _disposeStarted;

    public TcpTransportListener(Socket socket, TcpTransport transport)
    {
        _socket = socket;
        _transport = transport;
        LocalAddress = Multiaddr.FromEndPoint((IPEndPoint)socket.LocalEndPoint!);
    }

    public Multiaddr LocalAddress { get; }

    public async ValueTask<ITransportConnection> AcceptAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        CancellationTokenSource linked;
        try
        {
            linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposed.Token);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(nameof(TcpTransportListener));
        }
        using (linked)
        {
            Socket socket;
            try
            {
                socket = await _socket.AcceptAsync(linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (_disposed.IsCancellationRequested && ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                throw new ObjectDisposedException($"Listener on {LocalAddress} was disposed.", ex);
            }
            catch (SocketException ex)
            {
                // For example EMFILE (too many open files): the listener itself is still good.
                throw new IOException($"Accepting a connection on {LocalAddress} failed: {ex.Message}", ex);
            }
            try
            {
                _transport.Configure(socket);
                return _transport.Wrap(socket);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeStarted, 1) == 0)
        {
            _disposed.Cancel();
            _socket.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"TCP listener on {LocalAddress}";
}
