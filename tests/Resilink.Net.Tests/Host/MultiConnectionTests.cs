using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Resilink.Balancing;
using Resilink.Net.Addressing;
using Resilink.Net.Identity;
using Resilink.Net.Tests.TestSupport;
using Resilink.Resilience;
using Resilink.Net.Host;
using Resilink.Net.Protocols.Echo;
using Resilink.Net.Swarm;

namespace Resilink.Net.Tests.Host;

/// <summary>Several connections to one peer: the strategy spreads streams, and a dead connection costs no stream.</summary>
public sealed class MultiConnectionTests : IAsyncLifetime
{
    private readonly HostFixtures _fixtures = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixtures.DisposeAsync();

    [Theory]
    [InlineData(LoadBalancingStrategyKind.RoundRobin, 2, 1, 0)]  // one stream at a time: strict rotation
    [InlineData(LoadBalancingStrategyKind.RoundRobin, 3, 1, 0)]
    [InlineData(LoadBalancingStrategyKind.LeastLoaded, 3, 3, 0)] // three held open at once: each goes to a still idle connection
    [InlineData(LoadBalancingStrategyKind.LeastLoaded, 3, 2, 1)] // one connection kept busy: it gets none (round robin would give it a third)
    public async Task NewStreamAsync_StreamsOverSeveralConnections_EachFreeConnectionGetsAnEqualShare(
        LoadBalancingStrategyKind strategy, int connections, int heldOpen, int pinned)
    {
        // No identify on connect: its streams would count as load on whichever connections they happen to be open on.
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions { Connections = { LoadBalancingStrategy = strategy }, IdentifyOnConnect = false });
        var b = await _fixtures.StartHostAsync(new Libp2pHostOptions { IdentifyOnConnect = false });
        var perConnection = new ConcurrentDictionary<string, int>();
        b.SetStreamHandler("/which/1.0.0", (stream, _) =>
        {
            perConnection.AddOrUpdate(stream.Connection.Id, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        });
        await _fixtures.ConnectAsync(a, b, connections);
        Assert.Equal(connections, a.GetConnections(b.PeerId).Count);
        var busy = new List<Libp2pStream>(); // echo streams left open (b's handler waits for our FIN) for the whole run
        for (var i = 0; i < pinned; i++)
        {
            busy.Add(await a.NewStreamAsync(b.PeerId, EchoProtocol.ProtocolId, _fixtures.Token));
        }
        var busyIds = busy.Select(s => s.Connection.Id).ToList();

        for (var group = 0; group < 100 * (connections - pinned) / heldOpen; group++)
        {
            var streams = new List<Libp2pStream>();
            for (var i = 0; i < heldOpen; i++)
            {
                streams.Add(await a.NewStreamAsync(b.PeerId, "/which/1.0.0", _fixtures.Token));
            }
            // No two on one connection, none on a busy one, while an idle connection was left.
            Assert.Equal(heldOpen, streams.Select(s => s.Connection.Id).Except(busyIds).Count());
            foreach (var stream in streams)
            {
                Assert.Equal(0, await stream.ReadAsync(new byte[1], _fixtures.Token)); // wait for the handler to finish
                await stream.DisposeAsync();
            }
        }
        foreach (var stream in busy)
        {
            await stream.DisposeAsync();
        }

        Assert.Equal(Enumerable.Repeat(100, connections - pinned), perConnection.Values.Order());
        Assert.All(a.GetConnections(b.PeerId), c =>
        {
            Assert.Equal(0, c.Stats.Outstanding);      // every stream released its slot
            Assert.True(c.Stats.HasLatencySample);     // open + negotiate round trips were recorded
        });
    }

    [Theory]
    [InlineData(2, 2)] // at least one worker per connection: the first picks, made right after the reset, include the dead one
    [InlineData(3, 4)]
    public async Task NewStreamAsync_OneConnectionKilledUnderIt_NoStreamFailsAndTheDeadOneLeaves(int connections, int workers)
    {
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions { Connections = { LoadBalancingStrategy = LoadBalancingStrategyKind.RoundRobin } });
        var b = await _fixtures.StartHostAsync();
        await _fixtures.ConnectAsync(a, b, connections);
        var victim = b.GetConnections(a.PeerId)[0];
        var dead = a.GetConnections(b.PeerId).Single(c => c.LocalAddress.Equals(victim.RemoteAddress)); // a's end of it
        var deadLeft = new TaskCompletionSource();
        a.ConnectionClosed += (_, e) =>
        {
            if (ReferenceEquals(e.Connection, dead))
            {
                deadLeft.TrySetResult();
            }
        };

        // b drops it with a reset. a learns of that only from its own socket, so the first picks, made at once, usually
        // still find the dead connection in a's list and must fail over to another.
        victim.Abort();
        var payload = new byte[1024];
        await HostFixtures.RunConcurrentlyAsync(workers, 300, async () =>
            Assert.Equal(payload.Length, (await EchoProtocol.EchoAsync(a, b.PeerId, payload, _fixtures.Token)).Length));

        await deadLeft.Task.WaitAsync(_fixtures.Token);
        Assert.DoesNotContain(dead, a.GetConnections(b.PeerId));
        Assert.Equal(connections - 1, a.GetConnections(b.PeerId).Count);
    }

    [Theory]
    [InlineData(LoadBalancingStrategyKind.LeastLoaded)]
    [InlineData(LoadBalancingStrategyKind.PowerOfTwoChoices)]
    [InlineData(LoadBalancingStrategyKind.LatencyBased)]
    public async Task NewStreamAsync_AnyStrategyOverThreeConnections_AllStreamsSucceed(LoadBalancingStrategyKind strategy)
    {
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions { Connections = { LoadBalancingStrategy = strategy } });
        var b = await _fixtures.StartHostAsync();
        await _fixtures.ConnectAsync(a, b, 3);

        var echoes = Enumerable.Range(0, 60).Select(_ => EchoProtocol.EchoAsync(a, b.PeerId, new byte[4096], _fixtures.Token));

        Assert.All(await Task.WhenAll(echoes), e => Assert.Equal(4096, e.Length));
        Assert.All(a.GetConnections(b.PeerId), c => Assert.Equal(0, c.Stats.Outstanding));
    }

    [Fact]
    public async Task DialPeerAsync_Defaults_OpensMaxConnectionsPerPeer()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        var inbound = 0;
        var allInbound = new TaskCompletionSource();
        b.ConnectionOpened += (_, _) =>
        {
            if (Interlocked.Increment(ref inbound) == 3)
            {
                allInbound.TrySetResult();
            }
        };

        var connections = await a.DialPeerAsync(HostFixtures.AddressOf(b), _fixtures.Token);

        Assert.Equal(3, connections.Count);
        Assert.Equal(3, connections.Select(c => c.Id).Distinct().Count());
        await allInbound.Task.WaitAsync(_fixtures.Token);
        Assert.Equal(3, b.GetConnections(a.PeerId).Count);
    }

    [Fact]
    public async Task DialPeerAsync_AlreadyConnectedOnce_TopsUpToTheMaximum()
    {
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions { Connections = { MaxConnectionsPerPeer = 2 } });
        var b = await _fixtures.StartHostAsync();
        var first = await _fixtures.ConnectAsync(a, b);

        var connections = await a.DialPeerAsync(HostFixtures.AddressOf(b), _fixtures.Token);

        Assert.Equal(2, connections.Count);
        Assert.Contains(first, connections);
    }

    [Fact]
    public async Task InboundOverMaxConnectionsPerPeer_NewestIsClosedPolitely()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync(new Libp2pHostOptions { Connections = { MaxConnectionsPerPeer = 1, MinConnectionsPerPeer = 1 } });
        var kept = await _fixtures.ConnectAsync(a, b);
        var closed = new TaskCompletionSource<Libp2pConnection>();
        a.ConnectionClosed += (_, e) => closed.TrySetResult(e.Connection);

        var extra = await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);

        Assert.Same(extra, await closed.Task.WaitAsync(_fixtures.Token));
        Assert.Single(b.GetConnections(a.PeerId));
        Assert.True(await kept.PingAsync(_fixtures.Token) > TimeSpan.Zero);
    }

    [Fact]
    public async Task DialPeerAsync_NothingListening_FailsListingEveryAttempt()
    {
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions
        {
            Connections =
            {
                MaxConnectionsPerPeer = 1,
                Retry = { MaxRetries = 2, InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(4) },
            },
        });
        using var nobody = KeyPair.GenerateEd25519();
        var address = Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{FreePort()}/p2p/{nobody.PeerId}");

        var error = await Assert.ThrowsAsync<RetryExhaustedException>(() => a.DialPeerAsync(address, _fixtures.Token));

        Assert.Equal(3, error.Attempts.Count);
        Assert.Contains("Gave up after 3 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DialPeerAsync_PeerComesUpAfterTwoRefusals_ConnectsOnTheThirdAttempt()
    {
        var time = new ObservedFakeTimeProvider(); // backoff delays run on fake time; sockets are real
        await using var a = new Libp2pHost(new Libp2pHostOptions { Connections = { MaxConnectionsPerPeer = 1 } }, timeProvider: time);
        using var bIdentity = KeyPair.GenerateEd25519();
        var port = FreePort();
        var address = Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}/p2p/{bIdentity.PeerId}");
        static bool IsBackoff(TimeSpan due) => due > TimeSpan.Zero && due < TimeSpan.FromSeconds(1); // not the 30 s timeouts

        var dial = a.DialPeerAsync(address, _fixtures.Token);
        var first = await time.WaitForTimerAsync(IsBackoff, _fixtures.Token);   // attempt 1 refused
        time.Advance(first);
        var second = await time.WaitForTimerAsync(IsBackoff, _fixtures.Token);  // attempt 2 refused
        await using var b = new Libp2pHost(new Libp2pHostOptions { Identity = bIdentity });
        await b.StartAsync([Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}")], _fixtures.Token);
        time.Advance(second);

        var connections = await dial.WaitAsync(_fixtures.Token);                // attempt 3 finds b

        Assert.Equal(bIdentity.PeerId, Assert.Single(connections).RemotePeer);
        Assert.InRange(first.TotalMilliseconds, 90, 110);                        // 100 ms ± 10 % jitter
        Assert.InRange(second.TotalMilliseconds, 180, 220);                      // doubled
        Assert.Single(a.GetConnectionsMap()[bIdentity.PeerId]);
    }

    [Fact]
    public async Task DialPeerAsync_PeerProvesAnotherIdentity_FailsAtOnceWithoutRetrying()
    {
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions { Connections = { MaxConnectionsPerPeer = 1 } });
        var b = await _fixtures.StartHostAsync();
        using var impostor = KeyPair.GenerateEd25519();

        // Retrying cannot change who answers: the mismatch comes back as itself, not as an exhausted retry.
        await Assert.ThrowsAsync<Net.Security.Noise.PeerIdMismatchException>(
            () => a.DialPeerAsync(b.ListenAddresses[0].Encapsulate("/p2p/" + impostor.PeerId), _fixtures.Token));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again on dispose: nothing listens there
    }
}
