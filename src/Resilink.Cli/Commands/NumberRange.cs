using System.Globalization;
using System.Numerics;

namespace Resilink.Cli.Commands;

/// <summary>The values a number option accepts, and how to say so in an error message.</summary>
/// <typeparam name="T">The option's number type.</typeparam>
/// <param name="Min">The lowest value, or the bound every value must exceed when <paramref name="MinExclusive"/>.</param>
/// <param name="MinExclusive">Whether <paramref name="Min"/> itself is refused (e.g. a period of 0 s).</param>
/// <param name="Max">The highest value accepted.</param>
/// <param name="Unit">The unit in messages, e.g. <c>" seconds"</c>, or empty.</param>
internal sealed record NumberRange<T>(T Min, bool MinExclusive, T Max, string Unit)
    where T : struct, INumber<T>
{
    /// <summary>From <paramref name="min"/> to <paramref name="max"/>, both included.</summary>
    public static NumberRange<T> Between(T min, T max, string unit = "") => new(min, false, max, unit);

    /// <summary>More than 0 and at most <paramref name="max"/>.</summary>
    public static NumberRange<T> AboveZero(T max, string unit = "") => new(T.Zero, true, max, unit);

    /// <summary>Whether <paramref name="value"/> is allowed (NaN never is).</summary>
    public bool Contains(T value) => (MinExclusive ? value > Min : value >= Min) && value <= Max;

    /// <summary>What is allowed, e.g. "more than 0 and at most 86400 seconds".</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture, $"{(MinExclusive ? "more than" : "at least")} {Min} and at most {Max}{Unit}");
}
