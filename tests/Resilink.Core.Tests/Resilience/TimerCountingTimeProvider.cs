using Microsoft.Extensions.Time.Testing;

namespace Resilink.Core.Tests.Resilience;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also counts the timers created on it, so a test can wait until the retry has
/// armed its delay before advancing time (the retry may continue on another thread).
/// </summary>
internal sealed class TimerCountingTimeProvider : TimeProvider
{
    private readonly FakeTimeProvider _fake = new();
    private int _timers;

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _fake.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timers);
        return timer;
    }

    public void Advance(TimeSpan delta) => _fake.Advance(delta);

    /// <summary>Waits (up to 10 s of real time, polling) until at least <paramref name="count"/> timers exist.</summary>
    public async Task WaitForTimersAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Volatile.Read(ref _timers) < count)
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }
}
