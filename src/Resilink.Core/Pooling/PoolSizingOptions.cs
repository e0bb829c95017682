namespace Resilink.Pooling;

/// <summary>
/// Adaptive sizing of a <see cref="ConnectionPool{T}"/>: when it grows toward <see cref="ConnectionPoolOptions.MaxSize"/> and
/// when it shrinks toward <see cref="ConnectionPoolOptions.MinSize"/>. Mutable; validated with the pool's options.
/// </summary>
/// <remarks>
/// <para>The rule. Every <see cref="Interval"/> the pool takes one sample: W = acquirers waiting, L = leases out, S = open
/// connections of the current endpoint in rotation, C = S × <see cref="ConnectionPoolOptions.MaxLeasesPerConnection"/>,
/// utilisation U = L / C (0 when C = 0: with nothing in rotation only waiters are demand, and the refill to MinSize opens
/// the rest).</para>
/// <list type="number">
/// <item><description>Refill: below <see cref="ConnectionPoolOptions.MinSize"/> (counting connections being opened), it opens the
/// missing ones. This happens whether or not adaptive sizing is on.</description></item>
/// <item><description>Grow: if W &gt; 0 or U ≥ <see cref="GrowUtilization"/> in the sample, and S plus the connections being
/// opened is under <see cref="ConnectionPoolOptions.MaxSize"/>, it opens one more connection (one per sample, so a struggling
/// server is not hit by a burst of connects).</description></item>
/// <item><description>Shrink: if W = 0 and U &lt; <see cref="GrowUtilization"/>, every connection without a lease that has had
/// none for <see cref="IdleTimeout"/> (measured in samples) is closed, longest idle first, until S = MinSize.</description></item>
/// </list>
/// <para>Independently of the samples, an acquirer that finds no free lease opens a connection at once when S plus the
/// connections being opened is under MaxSize and fewer connections are being opened than acquirers wait.</para>
/// </remarks>
public sealed class PoolSizingOptions
{
    /// <summary>Turns the grow and shrink steps of the rule on (refill and growth on demand always happen). Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two samples of the pool's load (and of its maintenance); positive, at most 1 day. Default: 1 s.</summary>
    public TimeSpan Interval { get; set; } = ConnectionPoolConstants.DefaultSizingInterval;

    /// <summary>Utilisation (leases out over lease capacity) at or above which a sample asks for one more connection; above 0, at most 1. Default: 0.8.</summary>
    public double GrowUtilization { get; set; } = ConnectionPoolConstants.DefaultGrowUtilization;

    /// <summary>How long a connection above <see cref="ConnectionPoolOptions.MinSize"/> may go without a lease before it is closed; positive, at most 1 day. Default: 5 min.</summary>
    public TimeSpan IdleTimeout { get; set; } = ConnectionPoolConstants.DefaultIdleTimeout;

    internal void CollectErrors(List<string> errors, string prefix)
    {
        if (Interval <= TimeSpan.Zero || Interval > ConnectionPoolConstants.MaximumDelay)
        {
            errors.Add($"{prefix}{nameof(Interval)} must be positive and at most {ConnectionPoolConstants.MaximumDelay} (was {Interval}).");
        }
        if (double.IsNaN(GrowUtilization) || GrowUtilization <= 0.0 || GrowUtilization > 1.0)
        {
            errors.Add($"{prefix}{nameof(GrowUtilization)} must be above 0 and at most 1 (was {GrowUtilization}).");
        }
        if (IdleTimeout <= TimeSpan.Zero || IdleTimeout > ConnectionPoolConstants.MaximumDelay)
        {
            errors.Add($"{prefix}{nameof(IdleTimeout)} must be positive and at most {ConnectionPoolConstants.MaximumDelay} (was {IdleTimeout}).");
        }
    }
}
