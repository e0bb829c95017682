using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Resilink.Net.Chaos;
using Resilink.Tests.Shared;

namespace Resilink.Net.Tests.Chaos;

/// <summary>A loopback TCP server for proxy tests: either echoes every connection or hands accepted sockets to the test.</summary>
internal sealed class ChaosTestServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly bool _echo;
    private readonly Channel<Socket> _accepted = Channel.CreateUnbounded<Socket>();
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _echoes = [];
    private readonly Task _loop;

    private ChaosTestServer(bool echo)
    {
        _echo = echo;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _loop = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint { get; }

    public static ChaosTestServer Echo() => new(echo: true);

    public static ChaosTestServer Manual() => new(echo: false);

    /// <summary>The next accepted socket (manual servers only).</summary>
    public async Task<Socket> AcceptAsync(CancellationToken ct) => await _accepted.Reader.ReadAsync(ct);

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _loop;
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }
        await Task.WhenAll(_echoes);
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }
            socket.NoDelay = true;
            lock (_sockets)
            {
                _sockets.Add(socket);
                if (_echo)
                {
                    _echoes.Add(EchoAsync(socket));
                }
            }
            if (!_echo)
            {
                _accepted.Writer.TryWrite(socket);
            }
        }
    }

    private static async Task EchoAsync(Socket socket)
    {
        await Task.Yield();
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: false);
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, n));
            }
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // Resets are part of these tests.
        }
    }
}

/// <summary>A client socket connected to a proxy, with a stream over it.</summary>
internal sealed class ChaosClient : IDisposable
{
    private ChaosClient(Socket socket)
    {
        Socket = socket;
        Stream = new NetworkStream(socket, ownsSocket: true);
    }

    public Socket Socket { get; }

    public NetworkStream Stream { get; }

    public static async Task<ChaosClient> ConnectAsync(FaultInjectingProxy proxy, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(proxy.ListenEndPoint, ct);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new ChaosClient(socket);
    }

    /// <summary>The proxy's record of this client, once the proxy has accepted it and dialed the target.</summary>
    public async Task<ProxiedConnection> ConnectionAsync(FaultInjectingProxy proxy, CancellationToken ct)
    {
        ProxiedConnection? found = null;
        await Wait.UntilAsync(
            () => (found = proxy.Connections.FirstOrDefault(c => Equals(c.ClientEndPoint, Socket.LocalEndPoint) && c.OutboundEndPoint is not null)) is not null,
            ct);
        return found!;
    }

    public void Dispose() => Stream.Dispose();
}

internal static class Wait
{
    /// <summary>Polls a condition the proxy makes true from another thread; the deadline comes from <paramref name="ct"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, CancellationToken ct, Func<string>? describe = null) =>
        Poll.UntilAsync(condition, TimeSpan.FromMilliseconds(1), describe ?? (() => "the proxy's condition"), ct);

    public static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(5));
}
