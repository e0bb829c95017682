namespace Resilink.Resilience;

/// <summary>The failed attempts of one execution, kept in its <see cref="Polly.ResilienceContext"/>. Not thread-safe: attempts run one after another.</summary>
internal sealed class RetryAttemptLog
{
    internal static readonly Polly.ResiliencePropertyKey<RetryAttemptLog?> Key = new("Resilink.RetryAttemptLog");

    private readonly List<RetryAttempt> _attempts = [];
    private TimeSpan _nextDelay = TimeSpan.Zero;

    /// <summary>Attempt <paramref name="zeroBasedAttempt"/> failed and the next one starts after <paramref name="delayAfter"/>.</summary>
    public void RecordRetry(int zeroBasedAttempt, Exception exception, TimeSpan delayAfter)
    {
        _attempts.Add(new RetryAttempt(zeroBasedAttempt + 1, _nextDelay, exception));
        _nextDelay = delayAfter;
    }

    /// <summary>The last attempt failed with <paramref name="exception"/>: everything, as one exception.</summary>
    public RetryExhaustedException GiveUp(Exception exception)
    {
        _attempts.Add(new RetryAttempt(_attempts.Count + 1, _nextDelay, exception));
        return new RetryExhaustedException(_attempts.ToArray());
    }
}
