using Microsoft.Extensions.Logging;
using Resilink.Monitoring;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Net.Identity;
using Resilink.Net.Protocols.Echo;
using Resilink.Resilience;
using Resilink.Tests.Shared;

namespace Resilink.Net.Tests.Host;

/// <summary>
/// <see cref="Libp2pHost.KeepAlive"/> over real loopback sockets: peer b is killed (its host disposed) and, where the
/// test needs it, restarted on the same port with the same identity. Refused connects fail at once, so with short,
/// jitter-free backoff the re-dialing runs on the real clock and the tests wait for its events, never for a guessed time.
/// </summary>
public sealed class KeepAliveTests : IAsyncLifetime
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Max = TimeSpan.FromMilliseconds(500);

    private readonly HostFixtures _fixtures = new();
    private readonly RecordingConnectionMonitor _monitor = new();
    private readonly CapturingLoggerFactory _logs = new();
    private readonly KeyPair _bIdentity = KeyPair.GenerateEd25519();
    private readonly List<Libp2pHost> _peers = [];

    private PeerId B => _bIdentity.PeerId;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _fixtures.DisposeAsync();
        foreach (var peer in _peers)
        {
            await peer.DisposeAsync();
        }
        _bIdentity.Dispose();
        _logs.Dispose();
    }

    /// <summary>Host a, which keeps b alive: backoff 50 ms doubling to 500 ms without jitter, and <paramref name="configure"/>.</summary>
    private Libp2pHost StartKeeper(Action<Libp2pHostOptions>? configure = null)
    {
        var options = new Libp2pHostOptions
        {
            Reconnect = { InitialDelay = Initial, MaxDelay = Max, JitterFactor = 0, MaxAttempts = 50 },
        };
        configure?.Invoke(options);
        var host = new Libp2pHost(options, _logs, connectionMonitor: _monitor);
        _fixtures.Add(host);
        return host;
    }

    /// <summary>Peer b, with the same identity every time, listening on <paramref name="port"/> (0 for any).</summary>
    private async Task<Libp2pHost> StartPeerAsync(int port = 0)
    {
        var host = new Libp2pHost(new Libp2pHostOptions { Identity = _bIdentity });
        _peers.Add(host);
        await host.StartAsync([Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}")], _fixtures.Token);
        return host;
    }

    /// <summary>
    /// a connected to a running b, then <paramref name="beforeKill"/>, then b killed; returns b's port. a has seen the
    /// connection close.
    /// </summary>
    private async Task<int> ConnectThenKillPeerAsync(Libp2pHost a, Action? beforeKill = null)
    {
        var b = await StartPeerAsync();
        var port = HostFixtures.TcpEndPointOf(b).Port;
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.ConnectionClosed += (_, _) => closed.TrySetResult();
        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);
        beforeKill?.Invoke();
        await b.DisposeAsync();
        await closed.Task.WaitAsync(_fixtures.Token);
        return port;
    }

    private IReadOnlyList<ConnectionAttemptEvent> DialsToB(AttemptOutcome outcome) =>
        [.. _monitor.Of<ConnectionAttemptEvent>().Where(e => e.PeerKey == B.ToString() && !e.Inbound && e.Outcome == outcome)];

    private IReadOnlyList<LogEntry> WarningsOrWorse() => [.. _logs.Logger.Entries.Where(e => e.Level >= LogLevel.Warning)];

    /// <summary>The delay before attempt <paramref name="attempt"/> (1-based): none, then 50 ms doubling up to 500 ms.</summary>
    private static TimeSpan ExpectedDelay(int attempt) =>
        attempt == 1 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(Initial.Ticks << Math.Min(attempt - 2, 10), Max.Ticks));

    [Fact]
    public async Task KeepAlive_PeerKilledAndRestartedOnSameAddress_RedialsWithBackoffUntilReconnected()
    {
        var a = StartKeeper();
        using var steps = new ReconnectRecorder(a);
        var b = await StartPeerAsync();
        var port = HostFixtures.TcpEndPointOf(b).Port;
        var first = await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);
        var stream = await a.NewStreamAsync(B, EchoProtocol.ProtocolId, _fixtures.Token);

        Assert.True(a.KeepAlive(B));
        Assert.False(a.KeepAlive(B)); // marking twice is harmless
        Assert.True(a.IsKeptAlive(B));
        Assert.Equal([B], a.KeptAlivePeers);
        Assert.Equal(0, a.GetReconnectionStatistics().Attempts); // connected: nothing to do

        await b.DisposeAsync();
        await steps.WaitForAsync(ReconnectStep.Started, _fixtures.Token, attempt: 4); // three refused while b is down
        await StartPeerAsync(port);
        var reconnected = await steps.WaitForAsync(ReconnectStep.Reconnected, _fixtures.Token);

        var started = steps.Of(ReconnectStep.Started);
        var failed = steps.Of(ReconnectStep.Failed);
        var stats = a.GetReconnectionStatistics();
        var context = steps.Describe();
        Assert.True(reconnected.Attempt >= 4, context);
        Assert.Equal(Enumerable.Range(1, reconnected.Attempt).Select(ExpectedDelay), started.Select(s => s.Delay));
        Assert.Equal(Enumerable.Range(1, reconnected.Attempt - 1), failed.Select(f => f.Attempt));
        Assert.All(steps.Records, r => Assert.Equal((B.ToString(), (object?)a), (r.Key, r.Sender)));
        Assert.Empty(steps.Of(ReconnectStep.GaveUp));
        Assert.Equal((reconnected.Attempt, reconnected.Attempt - 1, 1L, 0L, 0L), (stats.Attempts, stats.FailedAttempts, stats.Successes, stats.GiveUps, stats.Cancellations));
        Assert.True(stats.MaxTimeToReconnect > TimeSpan.Zero);
        // Every re-dial went to the monitor as a connection attempt: the failed ones, then the one that connected.
        Assert.Equal(stats.FailedAttempts, DialsToB(AttemptOutcome.Failure).Count);
        Assert.Equal(2, DialsToB(AttemptOutcome.Success).Count);

        var second = Assert.Single(a.GetConnections(B));
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(new byte[] { 4, 2 }, await EchoProtocol.EchoAsync(a, B, new byte[] { 4, 2 }, _fixtures.Token));
        // The stream open on the dead connection was not replayed onto the new one: it just ended.
        await HostFixtures.DrainUntilClosedAsync(stream, _fixtures.Token);
        Assert.Empty(WarningsOrWorse());
    }

    [Fact]
    public async Task KeepAlive_PeerDownWithBreakerEnabled_BreakerOpensAndNewStreamFailsFastWithoutDialing()
    {
        var a = StartKeeper(o => o.CircuitBreaker = new CircuitBreakerOptions { Enabled = true, BreakDuration = TimeSpan.FromSeconds(30) });
        using var steps = new ReconnectRecorder(a);
        var opened = new TaskCompletionSource<CircuitStateChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.CircuitStateChanged += (_, e) =>
        {
            if (e.To == CircuitState.Open)
            {
                opened.TrySetResult(e);
            }
        };
        a.KeepAlive(B); // marked before b is known: its first attempts find no address (and do not touch the breaker)
        await steps.WaitForAsync(ReconnectStep.Failed, _fixtures.Token);
        Assert.IsType<PeerNotConnectedException>(steps.Of(ReconnectStep.Failed)[0].Exception);
        await ConnectThenKillPeerAsync(a);

        var open = await opened.Task.WaitAsync(_fixtures.Token);
        var dials = _monitor.Of<ConnectionAttemptEvent>().Count;
        var states = _monitor.Of<ConnectionStateEvent>().Count;
        var error = await Assert.ThrowsAsync<CircuitOpenException>(() => a.NewStreamAsync(B, EchoProtocol.ProtocolId, _fixtures.Token));

        Assert.Equal((dials, states), (_monitor.Of<ConnectionAttemptEvent>().Count, _monitor.Of<ConnectionStateEvent>().Count)); // nothing dialed
        Assert.Equal((B.ToString(), CircuitState.Open), (error.Key, error.State));
        Assert.InRange(error.RetryAt!.Value, open.RetryAt!.Value.AddSeconds(-1), open.RetryAt.Value.AddSeconds(1)); // the break's end, ~30 s ahead
        Assert.Contains(B.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(CircuitState.Open, a.GetCircuitState(B));
        // The keep-alive is not abandoned: it waits for the break to end and will make the trial dial.
        Assert.Empty(steps.Of(ReconnectStep.GaveUp));
        Assert.Equal(0, a.GetReconnectionStatistics().GiveUps);

        await a.DisposeAsync(); // while that wait runs

        Assert.Equal((1L, 0L), (a.GetReconnectionStatistics().Cancellations, a.GetReconnectionStatistics().GiveUps));
        Assert.DoesNotContain(WarningsOrWorse(), w => !w.Message.Contains("-> Open", StringComparison.Ordinal)); // only the breaker's own
    }

    [Fact]
    public async Task KeepAlive_BreakerOpenWhenPeerRestarts_WaitsForTheBreakThenTrialDialReconnects()
    {
        var a = StartKeeper(o => o.CircuitBreaker = new CircuitBreakerOptions { Enabled = true, BreakDuration = TimeSpan.FromSeconds(1) });
        using var steps = new ReconnectRecorder(a);
        var changes = new List<(CircuitState From, CircuitState To)>();
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.CircuitStateChanged += (_, e) =>
        {
            lock (changes)
            {
                changes.Add((e.From, e.To));
            }
            if (e.To == CircuitState.Open)
            {
                opened.TrySetResult();
            }
        };
        var port = await ConnectThenKillPeerAsync(a, beforeKill: () => a.KeepAlive(B));
        await opened.Task.WaitAsync(_fixtures.Token);

        await StartPeerAsync(port);
        await steps.WaitForAsync(ReconnectStep.Reconnected, _fixtures.Token);

        Assert.Equal(CircuitState.Closed, a.GetCircuitState(B));
        lock (changes)
        {
            Assert.Equal((CircuitState.Closed, CircuitState.Open), changes[0]);
            Assert.Equal((CircuitState.HalfOpen, CircuitState.Closed), changes[^1]); // the keep-alive's trial dial
        }
        // Meeting the open breaker is a wait, not a failed attempt: every failure is a real refused dial.
        Assert.True(_logs.Count("for its circuit breaker") > 0, _logs.Describe());
        Assert.DoesNotContain(steps.Of(ReconnectStep.Failed), f => f.Exception is CircuitOpenException);
        Assert.Equal(a.GetReconnectionStatistics().FailedAttempts, DialsToB(AttemptOutcome.Failure).Count);
        Assert.Single(a.GetConnections(B));
    }

    [Fact]
    public async Task KeepAlive_PeerStaysDown_GivesUpOnceAfterMaxAttemptsAndStops()
    {
        var a = StartKeeper(o => o.Reconnect.MaxAttempts = 3);
        using var steps = new ReconnectRecorder(a);
        await ConnectThenKillPeerAsync(a);

        Assert.True(a.KeepAlive(B)); // b already gone: re-dialing starts at once
        var gaveUp = await steps.WaitForAsync(ReconnectStep.GaveUp, _fixtures.Token);
        await a.DisposeAsync(); // waits for the keep-alive loop: nothing after the give-up can still be running

        var exhausted = Assert.IsType<RetryExhaustedException>(gaveUp.Exception);
        Assert.Equal(3, gaveUp.Attempt);
        Assert.Equal(3, exhausted.Attempts.Count);
        Assert.Single(steps.Of(ReconnectStep.GaveUp));
        Assert.Equal(3, steps.Of(ReconnectStep.Started).Count);
        Assert.Equal(3, DialsToB(AttemptOutcome.Failure).Count);
        var stats = a.GetReconnectionStatistics();
        Assert.Equal((3L, 3L, 0L, 1L), (stats.Attempts, stats.FailedAttempts, stats.Successes, stats.GiveUps));
        Assert.True(a.IsKeptAlive(B)); // the mark outlives the give-up
        var warning = Assert.Single(WarningsOrWorse());
        Assert.Contains(B.ToString(), warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopKeepAlive_WhileRedialing_StopsWithoutGivingUp()
    {
        var a = StartKeeper(o => o.Reconnect.MaxDelay = Initial); // one attempt every 50 ms
        using var steps = new ReconnectRecorder(a);
        await ConnectThenKillPeerAsync(a, beforeKill: () => Assert.True(a.KeepAlive(B)));
        await steps.WaitForAsync(ReconnectStep.Started, _fixtures.Token, attempt: 3);

        Assert.True(a.StopKeepAlive(B));
        Assert.False(a.StopKeepAlive(B));
        Assert.False(a.IsKeptAlive(B));
        Assert.Empty(a.KeptAlivePeers);
        await Poll.UntilAsync(() => a.GetReconnectionStatistics().Cancellations == 1, TimeSpan.FromMilliseconds(10), steps.Describe, _fixtures.Token);
        var attempts = a.GetReconnectionStatistics().Attempts;
        await a.DisposeAsync();

        Assert.Equal(attempts, a.GetReconnectionStatistics().Attempts); // no attempt after the stop
        Assert.Empty(steps.Of(ReconnectStep.GaveUp));
        Assert.Empty(steps.Of(ReconnectStep.Reconnected));
        Assert.Empty(WarningsOrWorse());
    }

    [Fact]
    public async Task DisposeAsync_DuringBackoff_EndsTheLoopPromptlyAndQuietly()
    {
        // A ten-minute backoff: only cancellation can end the loop within the host's five-second shutdown grace.
        var a = StartKeeper(o => o.Reconnect = new ReconnectOptions { InitialDelay = TimeSpan.FromMinutes(10), MaxDelay = TimeSpan.FromMinutes(10), JitterFactor = 0 });
        using var steps = new ReconnectRecorder(a);
        await ConnectThenKillPeerAsync(a);
        a.KeepAlive(B);
        await steps.WaitForAsync(ReconnectStep.Failed, _fixtures.Token);

        await a.DisposeAsync();

        var stats = a.GetReconnectionStatistics();
        Assert.Equal((1L, 1L, 0L, 1L), (stats.Attempts, stats.FailedAttempts, stats.GiveUps, stats.Cancellations));
        Assert.Empty(steps.Of(ReconnectStep.GaveUp));
        Assert.Empty(WarningsOrWorse());
        Assert.Throws<ObjectDisposedException>(() => a.KeepAlive(B));
    }

    [Fact]
    public async Task KeepAlive_BadInput_IsRejected()
    {
        var a = StartKeeper();

        Assert.Throws<ArgumentNullException>(() => a.KeepAlive(null!));
        Assert.Throws<ArgumentException>(() => a.KeepAlive(a.PeerId));
        Assert.False(a.StopKeepAlive(B));
        Assert.False(a.IsKeptAlive(B));
        var invalid = Assert.Throws<ArgumentException>(() => new Libp2pHost(new Libp2pHostOptions { Reconnect = { MaxAttempts = 0, ConnectionTimeout = TimeSpan.Zero } }));
        Assert.Contains("Reconnect.MaxAttempts", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("Reconnect.ConnectionTimeout", invalid.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ArgumentException>(() => new Libp2pHost(new Libp2pHostOptions { Reconnect = null! }));
        Assert.Contains("Reconnect must not be null", missing.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }
}
