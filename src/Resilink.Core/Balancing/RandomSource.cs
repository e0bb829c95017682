namespace Resilink.Balancing;

/// <summary>
/// Thread-safe uniform integers: <see cref="Random.Shared"/> by default, or an injected (typically seeded)
/// <see cref="Random"/> used under a lock on the instance itself, so it may be shared between strategies.
/// </summary>
internal sealed class RandomSource(Random? random)
{
    private readonly Random? _random = random;

    /// <summary>Returns a uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive)
    {
        if (_random is null)
        {
            return Random.Shared.Next(maxExclusive);
        }

        lock (_random)
        {
            return _random.Next(maxExclusive);
        }
    }
}
