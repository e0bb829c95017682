using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Resilink.Monitoring;
using Resilink.Net.Addressing;
using Resilink.Net.Diagnostics;
using Resilink.Net.Host;
using Resilink.Net.Protocols.Echo;
using Resilink.Net.Tests.TestSupport;

namespace Resilink.Net.Tests.Host;

/// <summary>What a host reports to its <see cref="IConnectionMonitor"/> and its activity source, over real connections.</summary>
public sealed class ConnectionReportingTests : IAsyncLifetime
{
    private readonly HostFixtures _fixtures = new();
    private readonly RecordingConnectionMonitor _a = new();
    private readonly RecordingConnectionMonitor _b = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixtures.DisposeAsync();

    [Fact]
    public async Task DialAsync_Succeeds_ConnectingThenConnectedOnBothSidesAndPeerEvents()
    {
        var (a, b) = await StartPairAsync();

        var connection = await _fixtures.ConnectAsync(a, b);

        Assert.Equal(
            [(ConnectionState.Disconnected, ConnectionState.Connecting), (ConnectionState.Connecting, ConnectionState.Connected)],
            _a.Of<ConnectionStateEvent>().Select(e => (e.From, e.To)));
        Assert.Equal(connection.Id, _a.Of<ConnectionStateEvent>()[^1].ConnectionId);
        var attempt = Assert.Single(_a.Of<ConnectionAttemptEvent>());
        Assert.Equal((AttemptOutcome.Success, false, b.PeerId.ToString()), (attempt.Outcome, attempt.Inbound, attempt.PeerKey));
        Assert.Equal([PeerChange.Discovered, PeerChange.Connected], _a.Of<PeerEvent>().Select(e => e.Change));
        Assert.True(Assert.Single(_b.Of<ConnectionAttemptEvent>()).Inbound);
        Assert.Equal(ConnectionState.Connected, _b.Of<ConnectionStateEvent>()[^1].To);
    }

    [Fact]
    public async Task DialPeerAsync_NothingListening_OneAttemptPerTryAndOneFailedTransition()
    {
        var a = await _fixtures.StartHostAsync(
            new() { Connections = { MaxConnectionsPerPeer = 1, Retry = { MaxRetries = 2, InitialDelay = TimeSpan.FromMilliseconds(1) } } }, _a);
        var stranger = await _fixtures.StartHostAsync();
        var port = ClosedPort();

        await Assert.ThrowsAnyAsync<Exception>(() =>
            a.DialPeerAsync(Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}/p2p/{stranger.PeerId}"), _fixtures.Token));

        Assert.Equal(3, _a.Of<ConnectionAttemptEvent>().Count(e => e.Outcome == AttemptOutcome.Failure));
        Assert.Single(_a.Of<ConnectionStateEvent>(), e => e.To == ConnectionState.Failed);
        Assert.Equal(3, _a.Of<ConnectionErrorEvent>().Count(e => e.ErrorType.StartsWith("socket_", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Close_LastConnection_DisconnectingDisconnectedBytesAndPeerLost()
    {
        var (a, b) = await StartPairAsync();
        var connection = await _fixtures.ConnectAsync(a, b);
        await EchoProtocol.EchoAsync(a, b.PeerId, new byte[5000], _fixtures.Token);
        var closed = new TaskCompletionSource();
        a.ConnectionClosed += (_, _) => closed.TrySetResult();

        await connection.DisposeAsync();
        await closed.Task.WaitAsync(_fixtures.Token);

        var tail = _a.Of<ConnectionStateEvent>().TakeLast(2).Select(e => (e.From, e.To));
        Assert.Equal([(ConnectionState.Connected, ConnectionState.Disconnecting), (ConnectionState.Disconnecting, ConnectionState.Disconnected)], tail);
        Assert.True(_a.Of<BytesTransferredEvent>().Sum(e => e.BytesOut) >= 5000);
        Assert.True(_a.Of<BytesTransferredEvent>().Sum(e => e.BytesIn) >= 5000);
        Assert.Equal(PeerChange.Lost, _a.Of<PeerEvent>()[^1].Change);
    }

    [Fact]
    public async Task NewStreamAsync_OpenedAndResetByRemote_ReportsBoth()
    {
        var (a, b) = await StartPairAsync();
        b.SetStreamHandler("/reset/1.0.0", async (stream, ct) =>
        {
            await stream.ReadExactlyAsync(new byte[1], ct); // negotiated and used, then reset
            stream.Reset();
        });
        await _fixtures.ConnectAsync(a, b);

        await using (var stream = await a.NewStreamAsync(b.PeerId, "/reset/1.0.0", _fixtures.Token))
        {
            await stream.WriteAsync(new byte[1], _fixtures.Token);
            await HostFixtures.DrainUntilClosedAsync(stream, _fixtures.Token);
        }

        Assert.Contains(_a.Of<StreamEvent>(), e => e.Outcome == StreamOutcome.Opened);
        var reset = Assert.Single(_a.Of<StreamEvent>(), e => e.Outcome == StreamOutcome.Reset);
        Assert.Equal("stream_reset", reset.ErrorType);
    }

    [Fact]
    public async Task DialAndStreamOpen_ActivityListener_SeesDialHandshakeAndStreamSpans()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ResilinkActivitySource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var (a, b) = await StartPairAsync();

        var connection = await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);
        await using (await a.NewStreamAsync(b.PeerId, EchoProtocol.ProtocolId, _fixtures.Token))
        {
        }

        lock (spans)
        {
            // The listener hears every host in the process and connection IDs repeat across hosts ("c1"): match the peer too.
            bool Ours(Activity s) => (string?)s.GetTagItem("resilink.connection.id") == connection.Id && (string?)s.GetTagItem("resilink.peer.id") == b.PeerId.ToString();
            var dial = Assert.Single(spans, s => s.OperationName == ResilinkActivitySource.DialActivity && Ours(s));
            Assert.Contains(spans, s => s.OperationName == ResilinkActivitySource.HandshakeActivity && s.ParentSpanId == dial.SpanId);
            Assert.Contains(spans, s => s.OperationName == ResilinkActivitySource.StreamOpenActivity && Ours(s));
        }
    }

    private async Task<(Libp2pHost A, Libp2pHost B)> StartPairAsync() =>
        (await _fixtures.StartHostAsync(new() { IdentifyOnConnect = false }, _a), await _fixtures.StartHostAsync(new() { IdentifyOnConnect = false }, _b));

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed: connects are refused
    }
}
