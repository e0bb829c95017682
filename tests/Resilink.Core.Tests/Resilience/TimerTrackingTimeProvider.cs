using Microsoft.Extensions.Time.Testing;

namespace Resilink.Core.Tests.Resilience;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows which one-shot timers are armed and when each is due, so a test can wait
/// (in real time, polling) until code on another thread has armed the delay or timeout it expects, then advance by it.
/// </summary>
internal sealed class TimerTrackingTimeProvider : TimeProvider
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _fake = new();
    private readonly List<TrackedTimer> _armed = [];

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new TrackedTimer(this, callback, state);
        timer.Track(dueTime, period);
        timer.Inner = _fake.CreateTimer(static s => ((TrackedTimer)s!).Fire(), timer, dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan delta) => _fake.Advance(delta);

    /// <summary>How long until each armed timer fires, soonest first.</summary>
    public TimeSpan[] ArmedDueIn()
    {
        lock (_armed)
        {
            var now = GetUtcNow();
            return [.. _armed.Select(t => t.DueAt - now).Order()];
        }
    }

    /// <summary>Waits until a timer is armed that fires exactly <paramref name="dueIn"/> from now.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueIn)
    {
        var limit = DateTime.UtcNow + WaitLimit;
        while (!ArmedDueIn().Contains(dueIn))
        {
            Assert.True(DateTime.UtcNow < limit, $"No timer due in {dueIn}; armed: [{string.Join(", ", ArmedDueIn())}].");
            await Task.Yield();
        }
    }

    /// <summary>
    /// Waits until exactly one timer is armed, not counting timers due in <paramref name="ignoring"/> (a per-attempt
    /// timeout that may be armed for a moment), and returns how long until it fires.
    /// </summary>
    public async Task<TimeSpan> WaitForSingleTimerAsync(TimeSpan ignoring)
    {
        var limit = DateTime.UtcNow + WaitLimit;
        TimeSpan[] armed;
        while ((armed = [.. ArmedDueIn().Where(t => t != ignoring)]).Length != 1)
        {
            Assert.True(DateTime.UtcNow < limit, $"Expected one armed timer; armed: [{string.Join(", ", armed)}].");
            await Task.Yield();
        }
        return armed[0];
    }

    private sealed class TrackedTimer(TimerTrackingTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public ITimer? Inner { get; set; }

        public DateTimeOffset DueAt { get; private set; }

        private TimeSpan Period { get; set; } = Timeout.InfiniteTimeSpan;

        public void Track(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._armed)
            {
                Period = period;
                owner._armed.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = owner.GetUtcNow() + dueTime;
                    owner._armed.Add(this);
                }
            }
        }

        public void Fire()
        {
            lock (owner._armed)
            {
                owner._armed.Remove(this);
                if (Period != Timeout.InfiniteTimeSpan && Period != TimeSpan.Zero)
                {
                    DueAt = owner.GetUtcNow() + Period;
                    owner._armed.Add(this);
                }
            }
            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Track(dueTime, period);
            return Inner!.Change(dueTime, period);
        }

        public void Dispose()
        {
            Track(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
