using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Resilink.Net.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer created on it, so a test can wait until code running on
/// other threads has armed a particular delay (a retry backoff, say) before advancing the clock past it.
/// </summary>
internal sealed class ObservedFakeTimeProvider : TimeProvider
{
    private readonly FakeTimeProvider _fake = new();
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _fake.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    public void Advance(TimeSpan delta) => _fake.Advance(delta);

    /// <summary>Waits for the next timer created whose due time satisfies <paramref name="match"/>, and returns that due time.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match, CancellationToken cancellationToken)
    {
        await foreach (var due in _created.Reader.ReadAllAsync(cancellationToken))
        {
            if (match(due))
            {
                return due;
            }
        }
        throw new InvalidOperationException("The timer channel completed.");
    }
}
