using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Resilink.Net.Addressing;

namespace Resilink.Cli.Commands;

/// <summary>Options and argument parsers shared by several commands.</summary>
internal static class CommonOptions
{
    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Log protocol details to stderr." };

    public static Argument<Multiaddr> MultiaddrArgument(string name, string description) =>
        new(name)
        {
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                try
                {
                    return Multiaddr.Parse(text);
                }
                catch (FormatException ex)
                {
                    result.AddError(ex.Message);
                    return null;
                }
            },
        };

    /// <summary>Refuses a number of seconds that is not above 0 and at most a day (an absent optional value passes).</summary>
    public static void RequirePositiveSeconds(OptionResult result, string name) => RequireSeconds(result, name, 0, s => s > 0);

    /// <summary>
    /// Refuses a number of seconds below <paramref name="atLeast"/> or above a day: for a period a timer ticks at (a
    /// <see cref="PeriodicTimer"/> refuses less than 1 ms, so 0 &lt; s &lt; 0.001 must not pass validation).
    /// </summary>
    public static void RequireSecondsAtLeast(OptionResult result, string name, double atLeast) =>
        RequireSeconds(result, name, atLeast, s => s >= atLeast);

    /// <summary>Refuses a value that is not finite, fails <paramref name="aboveLower"/>, or exceeds a day; the message names <paramref name="lower"/>.</summary>
    private static void RequireSeconds(OptionResult result, string name, double lower, Func<double, bool> aboveLower)
    {
        double? seconds = result.Option.ValueType == typeof(double?) ? result.GetValueOrDefault<double?>() : result.GetValueOrDefault<double>();
        if (seconds is { } value && (!double.IsFinite(value) || !aboveLower(value) || value > 86_400))
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a number of seconds between {lower} and 86400 (was {value})."));
        }
    }
}
