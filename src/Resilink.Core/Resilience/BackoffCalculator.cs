namespace Resilink.Resilience;

/// <summary>
/// The delay before each retry, from a snapshot of <see cref="RetryOptions"/> or <see cref="ReconnectOptions"/>. Pure apart
/// from the injected random source; thread-safe if that source is.
/// </summary>
public sealed class BackoffCalculator
{
    private readonly BackoffKind _kind;
    private readonly double _initialTicks;
    private readonly double _maxTicks;
    private readonly double _multiplier;
    private readonly double _jitter;
    private readonly Func<int, TimeSpan>? _custom;
    private readonly Func<double> _random;

    /// <summary>Validates <paramref name="options"/> (all of it) and copies its delay settings; later changes to it have no effect.</summary>
    /// <param name="options">The retry or reconnection settings.</param>
    /// <param name="random">Uniform source in [0, 1); 0.5 means no jitter. Default: <see cref="Random.Shared"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public BackoffCalculator(BackoffOptions options, Func<double>? random = null)
        : this(
            Validated(options).Backoff, options.InitialDelay, options.MaxDelay, options.BackoffMultiplier,
            options.JitterFactor, options.CustomDelay, random)
    {
    }

    /// <summary>From raw values that <see cref="BackoffRules.CollectErrors"/> accepts (the callers validated them).</summary>
    internal BackoffCalculator(
        BackoffKind kind,
        TimeSpan initialDelay,
        TimeSpan maxDelay,
        double multiplier,
        double jitterFactor,
        Func<int, TimeSpan>? customDelay,
        Func<double>? random)
    {
        _kind = kind;
        _initialTicks = initialDelay.Ticks;
        _maxTicks = maxDelay.Ticks;
        _multiplier = multiplier;
        _jitter = jitterFactor;
        _custom = customDelay;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>The delay before retry <paramref name="attempt"/> (0 = before the first retry) without jitter, capped at MaxDelay.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is negative.</exception>
    public TimeSpan GetBaseDelay(int attempt) => TimeSpan.FromTicks((long)BaseTicks(attempt));

    /// <summary>
    /// The delay before retry <paramref name="attempt"/> (0 = before the first retry): <see cref="GetBaseDelay"/> moved
    /// uniformly within ± JitterFactor of itself, clamped to [0, MaxDelay].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is negative.</exception>
    public TimeSpan GetDelay(int attempt)
    {
        double ticks = BaseTicks(attempt);
        if (_jitter > 0 && ticks > 0)
        {
            double r = Math.Clamp(_random(), 0.0, 1.0);
            ticks += ticks * _jitter * ((2.0 * r) - 1.0);
        }
        return TimeSpan.FromTicks((long)Math.Round(Math.Clamp(ticks, 0.0, _maxTicks)));
    }

    private static BackoffOptions Validated(BackoffOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private double BaseTicks(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        double ticks = _kind switch
        {
            BackoffKind.Fixed => _initialTicks,
            BackoffKind.Linear => _initialTicks * (attempt + 1.0),
            BackoffKind.Custom => _custom!(attempt).Ticks,
            _ => _initialTicks * Math.Pow(_multiplier, attempt),
        };
        // NaN cannot arise from validated options; an overflowing power is +Infinity and caps like any large value.
        return Math.Clamp(ticks, 0.0, _maxTicks);
    }
}
