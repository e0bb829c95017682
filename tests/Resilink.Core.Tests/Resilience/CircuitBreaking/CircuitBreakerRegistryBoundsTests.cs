using Microsoft.Extensions.Time.Testing;
using Resilink.Monitoring;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience.CircuitBreaking;

/// <summary>The registry keeps at most MaxBreakers keys, forgetting least recently used closed breakers first.</summary>
public sealed class CircuitBreakerRegistryBoundsTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingConnectionMonitor _monitor = new();
    private readonly List<CircuitStateChangedEventArgs> _changes = [];
    private readonly CircuitBreakerRegistry _registry;

    public CircuitBreakerRegistryBoundsTests()
    {
        _registry = new CircuitBreakerRegistry(new CircuitBreakerOptions { MaxBreakers = 2 }, _time, _monitor);
        _registry.StateChanged += (_, e) => _changes.Add(e);
    }

    private Task<int> Succeed(string key) => _registry.ExecuteAsync(key, _ => ValueTask.FromResult(1)).AsTask();

    private async Task OpenAsync(string key)
    {
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<IOException>(() => _registry.ExecuteAsync<int>(key, _ => throw new IOException("refused")).AsTask());
        }
        Assert.Equal(CircuitState.Open, _registry.GetState(key));
    }

    [Fact]
    public async Task ExecuteAsync_MoreKeysThanMax_ForgetsTheLeastRecentlyUsed()
    {
        await Succeed("a");
        await Succeed("b");
        await Succeed("a"); // b is now the least recently used

        await Succeed("c");

        Assert.Equal(2, _registry.Count);
        await _registry.IsolateAsync("a"); // still there: isolating it is one change, not a new breaker + change
        Assert.Equal(2, _registry.Count);
        Assert.Equal(CircuitState.Isolated, _registry.GetState("a"));
        Assert.Equal(CircuitState.Closed, _registry.GetState("b"));
    }

    [Fact]
    public async Task ExecuteAsync_OldestIsOpen_ForgetsAClosedOneInstead()
    {
        await OpenAsync("a");
        await Succeed("b");

        await Succeed("c");

        Assert.Equal(CircuitState.Open, _registry.GetState("a"));
        await Assert.ThrowsAsync<CircuitOpenException>(() => Succeed("a"));
        Assert.Equal(2, _registry.Count);
    }

    [Fact]
    public async Task ExecuteAsync_AllOpen_ForgetsTheLeastRecentlyUsedAndReportsItClosed()
    {
        await OpenAsync("a");
        await OpenAsync("b");

        await Succeed("c");

        Assert.Equal(2, _registry.Count);
        Assert.Equal(CircuitState.Closed, _registry.GetState("a"));
        Assert.Equal(CircuitState.Open, _registry.GetState("b"));
        var forgotten = _changes[^1];
        Assert.Equal(("a", CircuitState.Open, CircuitState.Closed), (forgotten.Key, forgotten.From, forgotten.To));
        Assert.Equal(new CircuitBreakerEvent("a", CircuitState.Open, CircuitState.Closed), _monitor.Of<CircuitBreakerEvent>()[^1]);
    }

    [Fact]
    public void GetState_UnknownKeys_CreateNoBreaker()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(CircuitState.Closed, _registry.GetState("peer-" + i));
        }

        Assert.Equal(0, _registry.Count);
    }
}
