using Microsoft.Extensions.Options;

namespace Resilink.Resilience;

/// <summary>
/// When a per-key circuit breaker (see <see cref="CircuitBreakerRegistry"/>) opens, how long it stays open, and how many
/// keys are kept. Mutable; call <see cref="Validate"/> (the registry does) to check every setting at once.
/// </summary>
/// <remarks>
/// A breaker opens when, within the last <see cref="SamplingDuration"/>, at least <see cref="MinimumThroughput"/> calls
/// ran and at least <see cref="FailureRatio"/> of them failed (see <see cref="CircuitBreakerFailures"/> for what counts).
/// While open, calls fail at once with <see cref="CircuitOpenException"/>. After <see cref="BreakDuration"/> the next
/// call is let through as a trial (half-open): success closes the breaker, failure opens it for another break.
/// With the defaults, three failed calls in a row within 30 s (or two failures after one success) stop calls to that
/// key for 5 s at a time.
/// </remarks>
public sealed class CircuitBreakerOptions
{
    /// <summary>
    /// Whether the owner of the breakers (e.g. <c>Libp2pHost</c>) guards its calls with them; <see cref="CircuitBreakerRegistry"/>
    /// itself ignores it. Default: false, because breaking changes what a call to a failing peer does (it fails fast
    /// instead of being tried), which callers written before the breaker may not expect.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>Share of failed calls in the sampling window that opens the breaker; above 0, at most 1. Default: 0.5 (Polly: 0.1).</summary>
    public double FailureRatio { get; set; } = CircuitBreakerConstants.DefaultFailureRatio;

    /// <summary>Calls within the sampling window needed before the breaker may open; at least 2. Default: 3 (Polly: 100).</summary>
    public int MinimumThroughput { get; set; } = CircuitBreakerConstants.DefaultMinimumThroughput;

    /// <summary>Window over which the failure ratio is measured; 500 ms to 1 day. Default: 30 s (as Polly).</summary>
    public TimeSpan SamplingDuration { get; set; } = CircuitBreakerConstants.DefaultSamplingDuration;

    /// <summary>How long an opened breaker rejects calls before it lets a trial through; 500 ms to 1 day. Default: 5 s (as Polly).</summary>
    public TimeSpan BreakDuration { get; set; } = CircuitBreakerConstants.DefaultBreakDuration;

    /// <summary>
    /// Most keys (peers, endpoints) with a breaker at once; at least 1. When a new key would exceed it, the least
    /// recently used closed breaker is forgotten (or, if none is closed, the least recently used one). Default: 1024.
    /// </summary>
    public int MaxBreakers { get; set; } = CircuitBreakerConstants.DefaultMaxBreakers;

    /// <summary>Checks every setting and throws one exception that names each bad one.</summary>
    /// <exception cref="OptionsValidationException">At least one setting is invalid; <see cref="OptionsValidationException.Failures"/> lists them all.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        CollectErrors(errors, prefix: "");
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(CircuitBreakerOptions), errors);
        }
    }

    /// <summary>Adds one message per bad setting to <paramref name="errors"/>, each naming <paramref name="prefix"/> + the option.</summary>
    internal void CollectErrors(List<string> errors, string prefix)
    {
        if (double.IsNaN(FailureRatio) || FailureRatio <= 0.0 || FailureRatio > 1.0)
        {
            errors.Add($"{prefix}{nameof(FailureRatio)} must be above 0 and at most 1 (was {FailureRatio}).");
        }
        if (MinimumThroughput < CircuitBreakerConstants.MinimumValidThroughput)
        {
            errors.Add($"{prefix}{nameof(MinimumThroughput)} must be at least {CircuitBreakerConstants.MinimumValidThroughput} (was {MinimumThroughput}).");
        }
        CheckDuration(errors, prefix, nameof(SamplingDuration), SamplingDuration);
        CheckDuration(errors, prefix, nameof(BreakDuration), BreakDuration);
        if (MaxBreakers < 1)
        {
            errors.Add($"{prefix}{nameof(MaxBreakers)} must be at least 1 (was {MaxBreakers}).");
        }
    }

    private static void CheckDuration(List<string> errors, string prefix, string name, TimeSpan value)
    {
        if (value < CircuitBreakerConstants.MinimumDuration || value > CircuitBreakerConstants.MaximumDuration)
        {
            errors.Add($"{prefix}{name} must be between {CircuitBreakerConstants.MinimumDuration} and {CircuitBreakerConstants.MaximumDuration} (was {value}).");
        }
    }
}
