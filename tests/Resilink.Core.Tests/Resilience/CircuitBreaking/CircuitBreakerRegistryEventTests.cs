using Microsoft.Extensions.Time.Testing;
using Resilink.Monitoring;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience.CircuitBreaking;

/// <summary>What a registry raises as <see cref="CircuitBreakerRegistry.StateChanged"/> and reports to its monitor.</summary>
public sealed class CircuitBreakerRegistryEventTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly RecordingConnectionMonitor _monitor = new();
    private readonly List<CircuitStateChangedEventArgs> _changes = [];
    private readonly CircuitBreakerRegistry _registry;

    public CircuitBreakerRegistryEventTests()
    {
        _registry = new CircuitBreakerRegistry(new CircuitBreakerOptions(), _time, _monitor);
        _registry.StateChanged += (sender, e) =>
        {
            Assert.Same(_registry, sender);
            lock (_changes)
            {
                _changes.Add(e);
            }
        };
    }

    private Task<int> Call(string key, bool fail) => _registry.ExecuteAsync(key, async _ =>
    {
        await Task.Yield();
        return fail ? throw new IOException("Connection refused") : 1;
    }).AsTask();

    [Fact]
    public async Task StateChanged_OpenHalfOpenClose_RaisesEachWithTimestampRetryAtAndCause()
    {
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<IOException>(() => Call("peer-a", fail: true));
        }
        _time.Advance(TimeSpan.FromSeconds(6));

        await Call("peer-a", fail: false);

        Assert.Equal(3, _changes.Count);
        var opened = _changes[0];
        Assert.Equal(("peer-a", CircuitState.Closed, CircuitState.Open), (opened.Key, opened.From, opened.To));
        Assert.Equal((Start, Start.AddSeconds(5), false), (opened.Timestamp, opened.RetryAt, opened.IsManual));
        Assert.Equal("Connection refused", Assert.IsType<IOException>(opened.Failure).Message);
        var halfOpened = _changes[1];
        Assert.Equal((CircuitState.Open, CircuitState.HalfOpen, Start.AddSeconds(6), (DateTimeOffset?)null),
            (halfOpened.From, halfOpened.To, halfOpened.Timestamp, halfOpened.RetryAt));
        Assert.Equal((CircuitState.HalfOpen, CircuitState.Closed), (_changes[2].From, _changes[2].To));
        Assert.Equal(
            [(CircuitState.Closed, CircuitState.Open), (CircuitState.Open, CircuitState.HalfOpen), (CircuitState.HalfOpen, CircuitState.Closed)],
            _monitor.Of<CircuitBreakerEvent>().Select(e => (e.From, e.To)));
        Assert.All(_monitor.Of<CircuitBreakerEvent>(), e => Assert.Equal("peer-a", e.PeerKey));
    }

    [Fact]
    public async Task StateChanged_FailedTrial_ReportsHalfOpenThenOpenAgainWithNewRetryAt()
    {
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<IOException>(() => Call("peer-a", fail: true));
        }
        _time.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<IOException>(() => Call("peer-a", fail: true));

        Assert.Equal(
            [(CircuitState.Closed, CircuitState.Open), (CircuitState.Open, CircuitState.HalfOpen), (CircuitState.HalfOpen, CircuitState.Open)],
            _changes.Select(e => (e.From, e.To)));
        Assert.Equal(Start.AddSeconds(10), _changes[^1].RetryAt);
    }

    [Fact]
    public async Task StateChanged_IsolateThenClose_ReportsBothAsManual()
    {
        await _registry.IsolateAsync("peer-a");
        await _registry.IsolateAsync("peer-a"); // already isolated: no second report
        await _registry.CloseAsync("peer-a");
        await _registry.CloseAsync("peer-a");   // already closed: nothing

        Assert.Equal([(CircuitState.Closed, CircuitState.Isolated), (CircuitState.Isolated, CircuitState.Closed)], _changes.Select(e => (e.From, e.To)));
        Assert.All(_changes, e => Assert.True(e.IsManual));
        Assert.All(_changes, e => Assert.Null(e.RetryAt));
        Assert.Equal(2, _monitor.Of<CircuitBreakerEvent>().Count);
    }

    [Fact]
    public async Task StateChanged_HandlerThrows_CallStillEndsWithItsOwnOutcome()
    {
        _registry.StateChanged += (_, _) => throw new InvalidOperationException("subscriber bug");
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<IOException>(() => Call("peer-a", fail: true));
        }

        var tripping = await Assert.ThrowsAsync<IOException>(() => Call("peer-a", fail: true));

        Assert.Equal("Connection refused", tripping.Message);
        Assert.Equal(CircuitState.Open, _registry.GetState("peer-a"));
        Assert.Single(_monitor.Of<CircuitBreakerEvent>());
    }

    [Fact]
    public async Task ExecuteAsync_SuccessesAndFailuresWithoutAChange_ReportNothing()
    {
        await Call("peer-a", fail: false);
        await Assert.ThrowsAsync<IOException>(() => Call("peer-a", fail: true));

        Assert.Empty(_changes);
        Assert.Empty(_monitor.Events);
    }
}
