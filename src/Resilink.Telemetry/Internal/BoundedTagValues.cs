using System.Collections.Concurrent;

namespace Resilink.Telemetry.Internal;

/// <summary>
/// Keeps a free-form tag's values to a bounded set: the first <c>limit</c> distinct values pass through, every later
/// new value becomes <see cref="ResilinkTelemetryConstants.OtherTagValue"/>, and null or empty becomes
/// <see cref="ResilinkTelemetryConstants.UnknownTagValue"/>. Thread-safe; a value already admitted costs one lookup.
/// </summary>
internal sealed class BoundedTagValues
{
    private readonly ConcurrentDictionary<string, string> _admitted = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly int _limit;
    private int _count;

    /// <summary>Creates a set that admits at most <paramref name="limit"/> distinct values.</summary>
    /// <param name="limit">At least 1.</param>
    public BoundedTagValues(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _limit = limit;
    }

    /// <summary>Gets how many distinct values were admitted.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Gets the value to report for <paramref name="value"/>.</summary>
    /// <param name="value">The raw value.</param>
    /// <returns><paramref name="value"/> (the first instance seen), <c>other</c> or <c>unknown</c>.</returns>
    public string Get(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return ResilinkTelemetryConstants.UnknownTagValue;
        }
        if (_admitted.TryGetValue(value, out string? admitted))
        {
            return admitted;
        }
        if (Volatile.Read(ref _count) >= _limit)
        {
            return ResilinkTelemetryConstants.OtherTagValue;
        }

        lock (_gate)
        {
            if (_admitted.TryGetValue(value, out admitted))
            {
                return admitted;
            }
            if (_count >= _limit)
            {
                return ResilinkTelemetryConstants.OtherTagValue;
            }

            _admitted[value] = value;
            Volatile.Write(ref _count, _count + 1);
            return value;
        }
    }
}
