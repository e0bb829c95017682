using Polly;

namespace Resilink.Resilience;

/// <summary>
/// One reconnection in progress, kept in its <see cref="ResilienceContext"/>. Not thread-safe: its attempts run one
/// after another.
/// </summary>
internal sealed class ReconnectCall
{
    internal static readonly ResiliencePropertyKey<ReconnectCall?> Key = new("Resilink.ReconnectCall");

    private readonly List<RetryAttempt> _failures = [];

    public ReconnectCall(string key, long startTimestamp)
    {
        ConnectionKey = key;
        StartTimestamp = startTimestamp;
    }

    /// <summary>Gets what is being reconnected.</summary>
    public string ConnectionKey { get; }

    /// <summary>Gets when the reconnection began (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long StartTimestamp { get; }

    /// <summary>Gets the current attempt, 1-based; 0 before the first.</summary>
    public int Attempt { get; private set; }

    /// <summary>Gets the wait before the current attempt.</summary>
    public TimeSpan DelayBefore { get; private set; }

    /// <summary>Gets the failed attempts so far, first to last.</summary>
    public IReadOnlyList<RetryAttempt> Failures => _failures;

    /// <summary>Sets the wait before the next attempt (the retry's OnRetry).</summary>
    public TimeSpan NextDelay { get; set; }

    /// <summary>The next attempt starts.</summary>
    public void BeginAttempt()
    {
        Attempt++;
        DelayBefore = Attempt == 1 ? TimeSpan.Zero : NextDelay;
    }

    /// <summary>The current attempt failed with <paramref name="exception"/>.</summary>
    public void Fail(Exception exception) => _failures.Add(new RetryAttempt(Attempt, DelayBefore, exception));
}
