using Resilink.Core.Tests.Resilience;
using Resilink.Monitoring;
using Resilink.Pooling;
using Resilink.Tests.Shared;

namespace Resilink.Core.Tests.Pooling;

/// <summary>A pool over fake factories on a fake clock, and ways to wait (in real time, bounded) for what it does in the background.</summary>
internal sealed class PoolHarness : IAsyncDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public PoolHarness(ConnectionPoolOptions options, bool withSecondary = false)
    {
        Primary = new FakeConnectionFactory("fake://primary");
        Secondary = withSecondary ? new FakeConnectionFactory("fake://secondary") : null;
        Pool = new ConnectionPool<FakePoolConnection>(options, Primary, Secondary, Time, connectionMonitor: Monitor);
    }

    /// <summary>The fake clock; it knows which timers are armed, so a test can wait for a backoff before advancing past it.</summary>
    public TimerTrackingTimeProvider Time { get; } = new();

    public FakeConnectionFactory Primary { get; }

    public FakeConnectionFactory? Secondary { get; }

    public RecordingConnectionMonitor Monitor { get; } = new();

    public ConnectionPool<FakePoolConnection> Pool { get; }

    public ConnectionPoolStatistics Stats => Pool.GetStatistics();

    /// <summary>Options that keep the background quiet unless a test wants it: no periodic pings, no jitter, short backoff.</summary>
    public static ConnectionPoolOptions Options(int min = 1, int max = 4, int leases = 1) => new()
    {
        MinSize = min,
        MaxSize = max,
        MaxLeasesPerConnection = leases,
        AcquireTimeout = TimeSpan.FromSeconds(5),
        Health = new() { EnableHealthMonitoring = false, HealthCheckInterval = TimeSpan.FromMinutes(10) },
        Reconnect = new() { JitterFactor = 0, MaxAttempts = 3, ConnectionTimeout = TimeSpan.FromSeconds(2) },
        Sizing = new() { Interval = TimeSpan.FromSeconds(1), IdleTimeout = TimeSpan.FromSeconds(30) },
    };

    public static async Task UntilAsync(Func<bool> condition, Func<string> describe)
    {
        using var deadline = new CancellationTokenSource(Limit);
        await Poll.UntilAsync(condition, TimeSpan.FromMilliseconds(2), describe, deadline.Token);
    }

    public Task UntilStatsAsync(Func<ConnectionPoolStatistics, bool> condition) =>
        UntilAsync(() => condition(Stats), () => Stats.ToString());

    /// <summary>Whether the statistics meet <paramref name="condition"/> within <paramref name="patience"/> of real time (false, not an error, if not).</summary>
    public async Task<bool> WithinAsync(Func<ConnectionPoolStatistics, bool> condition, TimeSpan patience)
    {
        using var deadline = new CancellationTokenSource(patience);
        try
        {
            await Poll.UntilAsync(() => condition(Stats), TimeSpan.FromMilliseconds(2), () => Stats.ToString(), deadline.Token);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Advances the fake clock by one sizing sample at a time, <paramref name="samples"/> times, letting each sample run.</summary>
    public async Task SampleAsync(int samples = 1, TimeSpan? interval = null)
    {
        for (int i = 0; i < samples; i++)
        {
            long before = Pool.SamplesTaken;
            Time.Advance(interval ?? TimeSpan.FromSeconds(1));
            await UntilAsync(() => Pool.SamplesTaken > before, () => $"sample {before + 1} to run");
        }
    }

    /// <summary>Waits until a timer due in exactly <paramref name="delay"/> is armed (a backoff), then advances past it.</summary>
    public async Task AdvancePastTimerAsync(TimeSpan delay)
    {
        await Time.WaitForTimerAsync(delay);
        Time.Advance(delay);
    }

    public ValueTask DisposeAsync() => Pool.DisposeAsync();
}
