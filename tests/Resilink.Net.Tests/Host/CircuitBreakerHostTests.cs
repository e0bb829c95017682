using Microsoft.Extensions.Time.Testing;
using Resilink.Monitoring;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Net.Identity;
using Resilink.Net.Protocols.Echo;
using Resilink.Resilience;

namespace Resilink.Net.Tests.Host;

/// <summary>
/// The per-peer circuit breaker of a host, over real loopback sockets. The dialing host runs on a
/// <see cref="FakeTimeProvider"/> so the break ends when the test says, not after a guessed sleep; refused connects
/// fail at once without any timer.
/// </summary>
public sealed class CircuitBreakerHostTests : IAsyncLifetime
{
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(5);

    private readonly HostFixtures _fixtures = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingConnectionMonitor _monitor = new();
    private readonly List<CircuitStateChangedEventArgs> _changes = [];
    private readonly KeyPair _bIdentity = KeyPair.GenerateEd25519();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _fixtures.DisposeAsync();
        _bIdentity.Dispose();
    }

    /// <summary>A host that dials with breaking on, one connection per peer and no retries (one attempt per dial).</summary>
    private async Task<Libp2pHost> StartDialerAsync(int maxConnectionsPerPeer = 1)
    {
        var options = new Libp2pHostOptions
        {
            CircuitBreaker = { Enabled = true, BreakDuration = Break },
            Connections = { MaxConnectionsPerPeer = maxConnectionsPerPeer, Retry = { MaxRetries = 0 } },
        };
        var host = new Libp2pHost(options, timeProvider: _time, connectionMonitor: _monitor);
        _fixtures.Add(host);
        host.CircuitStateChanged += (sender, e) =>
        {
            Assert.Same(host, sender);
            lock (_changes)
            {
                _changes.Add(e);
            }
        };
        return host;
    }

    /// <summary>Peer b, with the same identity every time, listening on <paramref name="port"/>.</summary>
    private async Task<Libp2pHost> StartPeerAsync(int port)
    {
        var host = new Libp2pHost(new Libp2pHostOptions { Identity = _bIdentity });
        await host.StartAsync([Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}")], _fixtures.Token);
        return host;
    }

    private Multiaddr AddressAt(int port) => Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}/p2p/{_bIdentity.PeerId}");

    private (int Attempts, int States) Reported() =>
        (_monitor.Of<ConnectionAttemptEvent>().Count, _monitor.Of<ConnectionStateEvent>().Count);

    [Fact]
    public async Task DialAsync_PeerDownThreeTimes_OpensThenFailsFastThenTrialToRestartedPeerCloses()
    {
        var a = await StartDialerAsync();
        var port = HostFixtures.ClosedPort();
        var b = _bIdentity.PeerId;

        for (var i = 0; i < 3; i++)
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => a.DialAsync(AddressAt(port), _fixtures.Token));
            Assert.IsNotType<CircuitOpenException>(refused);
        }

        Assert.Equal(CircuitState.Open, a.GetCircuitState(b));
        var opened = Assert.Single(_changes);
        Assert.Equal((b.ToString(), CircuitState.Closed, CircuitState.Open, _time.GetUtcNow() + Break), (opened.Key, opened.From, opened.To, opened.RetryAt));
        Assert.Equal(new CircuitBreakerEvent(b.ToString(), CircuitState.Closed, CircuitState.Open), Assert.Single(_monitor.Of<CircuitBreakerEvent>()));
        var before = Reported();
        Assert.Equal(3, before.Attempts);

        var error = await Assert.ThrowsAsync<CircuitOpenException>(() => a.DialAsync(AddressAt(port), _fixtures.Token));
        await Assert.ThrowsAsync<CircuitOpenException>(() => a.DialPeerAsync(AddressAt(port), _fixtures.Token));

        Assert.Equal(before, Reported()); // no connect attempt, not even a Connecting state
        Assert.Equal((b.ToString(), CircuitState.Open, _time.GetUtcNow() + Break), (error.Key, error.State, error.RetryAt));
        Assert.Contains(b.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("2025-01-01T00:00:05.000Z", error.Message, StringComparison.Ordinal);

        await using var restarted = await StartPeerAsync(port);
        _time.Advance(Break);
        var connection = await a.DialAsync(AddressAt(port), _fixtures.Token);

        Assert.Equal(b, connection.RemotePeer);
        Assert.Equal(CircuitState.Closed, a.GetCircuitState(b));
        Assert.Equal(
            [(CircuitState.Closed, CircuitState.Open), (CircuitState.Open, CircuitState.HalfOpen), (CircuitState.HalfOpen, CircuitState.Closed)],
            _changes.Select(e => (e.From, e.To)));
        Assert.Equal(3, _monitor.Of<CircuitBreakerEvent>().Count);
    }

    [Fact]
    public async Task NewStreamAsync_StoppedPeerTripsBreaker_FailsFastWithoutDialingUntilRestartedPeerPassesTrial()
    {
        var a = await StartDialerAsync();
        var b = await StartPeerAsync(port: 0);
        var port = HostFixtures.TcpEndPointOf(b).Port;
        var closed = new TaskCompletionSource();
        a.ConnectionClosed += (_, _) => closed.TrySetResult();
        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token); // a now knows b's address
        await b.DisposeAsync();
        await closed.Task.WaitAsync(_fixtures.Token);

        // The first dial succeeded, so within the sampling window 2 failures make 2 of 3 dials: the ratio 0.5 is reached.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(CircuitState.Closed, a.GetCircuitState(_bIdentity.PeerId));
            var refused = await Assert.ThrowsAnyAsync<IOException>(() => a.NewStreamAsync(_bIdentity.PeerId, EchoProtocol.ProtocolId, _fixtures.Token));
            Assert.IsNotType<CircuitOpenException>(refused);
        }
        Assert.Equal(CircuitState.Open, a.GetCircuitState(_bIdentity.PeerId));
        Assert.Equal(2, _monitor.Of<ConnectionAttemptEvent>().Count(e => e.Outcome == AttemptOutcome.Failure));
        var before = Reported();

        var error = await Assert.ThrowsAsync<CircuitOpenException>(() => a.NewStreamAsync(_bIdentity.PeerId, EchoProtocol.ProtocolId, _fixtures.Token));
        await Assert.ThrowsAsync<CircuitOpenException>(() => a.PingAsync(_bIdentity.PeerId, _fixtures.Token));

        Assert.Equal(before, Reported());
        Assert.Equal(_bIdentity.PeerId.ToString(), error.Key);

        await using var restarted = await StartPeerAsync(port);
        _time.Advance(Break);
        var echoed = await EchoProtocol.EchoAsync(a, _bIdentity.PeerId, new byte[] { 1, 2, 3 }, _fixtures.Token);

        Assert.Equal(new byte[] { 1, 2, 3 }, echoed);
        Assert.Equal(CircuitState.Closed, a.GetCircuitState(_bIdentity.PeerId));
    }

    [Fact]
    public async Task DialAsync_TrialAfterBreakFails_ReopensForAnotherBreak()
    {
        var a = await StartDialerAsync();
        var port = HostFixtures.ClosedPort();
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => a.DialAsync(AddressAt(port), _fixtures.Token));
        }
        _time.Advance(Break);

        var trial = await Assert.ThrowsAnyAsync<Exception>(() => a.DialAsync(AddressAt(port), _fixtures.Token));
        var rejected = await Assert.ThrowsAsync<CircuitOpenException>(() => a.DialAsync(AddressAt(port), _fixtures.Token));

        Assert.IsNotType<CircuitOpenException>(trial); // the trial really dialed
        Assert.Equal(4, _monitor.Of<ConnectionAttemptEvent>().Count);
        Assert.Equal(_time.GetUtcNow() + Break, rejected.RetryAt);
        Assert.Equal(
            [(CircuitState.Closed, CircuitState.Open), (CircuitState.Open, CircuitState.HalfOpen), (CircuitState.HalfOpen, CircuitState.Open)],
            _changes.Select(e => (e.From, e.To)));
    }

    [Fact]
    public async Task DialPeerAsync_ParallelDialsOfOneCall_CountAsOneFailedDial()
    {
        var a = await StartDialerAsync(maxConnectionsPerPeer: 3);
        var port = HostFixtures.ClosedPort();

        await Assert.ThrowsAnyAsync<IOException>(() => a.DialPeerAsync(AddressAt(port), _fixtures.Token));
        await Assert.ThrowsAnyAsync<IOException>(() => a.DialPeerAsync(AddressAt(port), _fixtures.Token));

        Assert.Equal(6, _monitor.Of<ConnectionAttemptEvent>().Count);
        Assert.Equal(CircuitState.Closed, a.GetCircuitState(_bIdentity.PeerId));

        var third = await Assert.ThrowsAnyAsync<IOException>(() => a.DialPeerAsync(AddressAt(port), _fixtures.Token));

        Assert.IsNotType<CircuitOpenException>(third);
        Assert.Equal(CircuitState.Open, a.GetCircuitState(_bIdentity.PeerId));
    }

    [Fact]
    public async Task NewStreamAsync_IsolatedPeerWithLiveConnection_UsesItButDialsNothingOnceItIsGone()
    {
        var a = await StartDialerAsync();
        var b = await StartPeerAsync(port: 0);
        await using (b)
        {
            await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);
            await a.CircuitBreakers!.IsolateAsync(b.PeerId.ToString(), _fixtures.Token);

            Assert.Equal(new byte[] { 7 }, await EchoProtocol.EchoAsync(a, b.PeerId, new byte[] { 7 }, _fixtures.Token));
            await a.HangUpAsync(b.PeerId);

            var error = await Assert.ThrowsAsync<CircuitOpenException>(() => a.NewStreamAsync(b.PeerId, EchoProtocol.ProtocolId, _fixtures.Token));
            Assert.Equal((CircuitState.Isolated, (DateTimeOffset?)null), (error.State, error.RetryAt));

            await a.CircuitBreakers.CloseAsync(b.PeerId.ToString(), _fixtures.Token);
            Assert.Equal(new byte[] { 8 }, await EchoProtocol.EchoAsync(a, b.PeerId, new byte[] { 8 }, _fixtures.Token));
        }
        Assert.Equal([(CircuitState.Closed, CircuitState.Isolated), (CircuitState.Isolated, CircuitState.Closed)], _changes.Select(e => (e.From, e.To)));
        Assert.All(_changes, e => Assert.True(e.IsManual));
    }

    [Fact]
    public async Task DialAsync_BreakingOffByDefault_EveryDialIsAttempted()
    {
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions { Connections = { Retry = { MaxRetries = 0 } } }, _monitor);
        var port = HostFixtures.ClosedPort();

        for (var i = 0; i < 5; i++)
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => a.DialAsync(AddressAt(port), _fixtures.Token));
            Assert.IsNotType<CircuitOpenException>(refused);
        }

        Assert.Null(a.CircuitBreakers);
        Assert.Equal(CircuitState.Closed, a.GetCircuitState(_bIdentity.PeerId));
        Assert.Equal(5, _monitor.Of<ConnectionAttemptEvent>().Count);
        Assert.Empty(_monitor.Of<CircuitBreakerEvent>());
    }

    [Fact]
    public async Task DialAsync_AddressWithoutPeerId_IsNeverGuarded()
    {
        var a = await StartDialerAsync();
        var port = HostFixtures.ClosedPort();

        for (var i = 0; i < 5; i++)
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => a.DialAsync(Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}"), _fixtures.Token));
            Assert.IsNotType<CircuitOpenException>(refused);
        }

        Assert.Equal(0, a.CircuitBreakers!.Count);
        Assert.Equal(5, _monitor.Of<ConnectionAttemptEvent>().Count);
    }

    [Fact]
    public void Constructor_InvalidCircuitBreakerOptions_NamesThem()
    {
        var options = new Libp2pHostOptions { CircuitBreaker = { FailureRatio = 2, BreakDuration = TimeSpan.Zero } };

        var error = Assert.Throws<ArgumentException>(() => new Libp2pHost(options));

        Assert.Contains("CircuitBreaker.FailureRatio", error.Message, StringComparison.Ordinal);
        Assert.Contains("CircuitBreaker.BreakDuration", error.Message, StringComparison.Ordinal);
    }
}
