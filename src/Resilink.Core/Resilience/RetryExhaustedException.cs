using System.Globalization;
using System.Text;

namespace Resilink.Resilience;

/// <summary>
/// Every attempt of a retried operation failed with a transient error. <see cref="Attempts"/> lists them in order;
/// <see cref="Exception.InnerException"/> is the last one's exception.
/// </summary>
public sealed class RetryExhaustedException : IOException
{
    /// <summary>Creates the exception from the failed attempts (at least one).</summary>
    /// <exception cref="ArgumentException"><paramref name="attempts"/> is empty.</exception>
    public RetryExhaustedException(IReadOnlyList<RetryAttempt> attempts)
        : base(Describe(attempts), attempts[^1].Exception)
    {
        Attempts = attempts;
    }

    /// <summary>Each failed attempt, first to last.</summary>
    public IReadOnlyList<RetryAttempt> Attempts { get; }

    private static string Describe(IReadOnlyList<RetryAttempt> attempts)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        if (attempts.Count == 0)
        {
            throw new ArgumentException("At least one attempt is needed.", nameof(attempts));
        }
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Gave up after {attempts.Count} attempt{(attempts.Count == 1 ? "" : "s")}: ");
        for (int i = 0; i < attempts.Count; i++)
        {
            var attempt = attempts[i];
            if (i > 0)
            {
                text.Append("; ");
            }
            text.Append(CultureInfo.InvariantCulture, $"#{attempt.Number} ");
            if (attempt.DelayBefore > TimeSpan.Zero)
            {
                text.Append(CultureInfo.InvariantCulture, $"(after {attempt.DelayBefore.TotalMilliseconds:0.###} ms) ");
            }
            text.Append(string.IsNullOrEmpty(attempt.Exception.Message) ? attempt.Exception.GetType().Name : attempt.Exception.Message);
        }
        return text.ToString();
    }
}
