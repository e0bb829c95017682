using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Resilink.Monitoring;
using Resilink.Net.Addressing;
using Resilink.Net.Host;

namespace Resilink.Net.Tests.Host;

/// <summary>Starts hosts on 127.0.0.1 with free ports and disposes them with the test.</summary>
internal sealed class HostFixtures : IAsyncDisposable
{
    private readonly List<Libp2pHost> _hosts = [];

    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);

    public CancellationToken Token { get; } = new CancellationTokenSource(TestTimeout).Token;

    public async Task<Libp2pHost> StartHostAsync(
        Libp2pHostOptions? options = null, IConnectionMonitor? monitor = null, ILoggerFactory? loggerFactory = null)
    {
        var host = new Libp2pHost(options, loggerFactory: loggerFactory, connectionMonitor: monitor);
        _hosts.Add(host);
        await host.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], Token);
        return host;
    }

    /// <summary>Disposes <paramref name="host"/> with the test (for hosts built with options the fixture does not offer).</summary>
    public void Add(Libp2pHost host) => _hosts.Add(host);

    /// <summary>A loopback port nothing listens on (bound and released at once): connects to it are refused.</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Dials <paramref name="to"/> from <paramref name="from"/> and waits until both sides have registered the connection.</summary>
    public async Task<global::Resilink.Net.Swarm.Libp2pConnection> ConnectAsync(Libp2pHost from, Libp2pHost to)
    {
        var inbound = new TaskCompletionSource();
        void OnOpened(object? sender, Libp2pConnectionEventArgs e)
        {
            if (e.Connection.RemotePeer.Equals(from.PeerId))
            {
                inbound.TrySetResult();
            }
        }
        to.ConnectionOpened += OnOpened;
        try
        {
            var connection = await from.DialAsync(AddressOf(to), Token);
            await inbound.Task.WaitAsync(Token);
            return connection;
        }
        finally
        {
            to.ConnectionOpened -= OnOpened;
        }
    }

    /// <summary>Opens <paramref name="count"/> connections, one after the other, as <see cref="ConnectAsync(Libp2pHost, Libp2pHost)"/> does.</summary>
    public async Task ConnectAsync(Libp2pHost from, Libp2pHost to, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await ConnectAsync(from, to);
        }
    }

    /// <summary>The host's first listen address as an endpoint, for raw sockets that play a misbehaving client.</summary>
    public static IPEndPoint TcpEndPointOf(Libp2pHost host) =>
        host.ListenAddresses[0].TryGetTcpEndPoint(out var endPoint) && endPoint is IPEndPoint ip
            ? ip
            : throw new InvalidOperationException($"{host.ListenAddresses[0]} is not an IP/TCP address.");

    /// <summary>Reads and discards until the other side closes the stream (EOF) or resets it.</summary>
    public static async Task DrainUntilClosedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        try
        {
            while (await stream.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            // Reset or torn frame: also closed.
        }
    }

    public static Multiaddr AddressOf(Libp2pHost host) => host.ListenAddresses[0].Encapsulate("/p2p/" + host.PeerId);

    /// <summary>
    /// Runs <paramref name="operation"/> <paramref name="count"/> times on <paramref name="workers"/> concurrent workers,
    /// each starting the next one as soon as its previous one finished. A failure fails the run (after the other workers finish).
    /// </summary>
    public static Task RunConcurrentlyAsync(int workers, int count, Func<Task> operation)
    {
        var started = 0;
        async Task WorkAsync()
        {
            while (Interlocked.Increment(ref started) <= count)
            {
                await operation();
            }
        }
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkAsync()));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }
}
