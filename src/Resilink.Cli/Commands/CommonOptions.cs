using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using Resilink.Net.Addressing;

namespace Resilink.Cli.Commands;

/// <summary>
/// Options and arguments shared by the commands, and the one place their text becomes a value. Every value is parsed
/// by a custom parser that reports a bad token as a parse error naming the option (exit code 2, one line), so no
/// command reads a value that failed to convert: System.CommandLine's own conversion threw from
/// <c>GetValue</c>/<c>GetValueOrDefault</c> on such a token (a validator's call crashed the parse with exit code 134).
/// </summary>
internal static class CommonOptions
{
    /// <summary>Reads a value from text, or says it cannot.</summary>
    public delegate bool TryParser<T>(string text, [NotNullWhen(true)] out T? value)
        where T : class;

    /// <summary>The longest period or timeout any option takes: a day.</summary>
    public const double MaxSeconds = 86_400;

    /// <summary>The help name of an option whose value is a file; such values are free text and only refused when empty.</summary>
    public const string FileHelpName = "FILE";

    /// <summary>The help name of an option whose value is a directory (free text like <see cref="FileHelpName"/>).</summary>
    public const string DirectoryHelpName = "DIR";

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Log protocol details to stderr, and show a failure's stack trace." };

    /// <summary>The <c>--json</c> flag of ping, dial, watch and listen: NDJSON on stdout, as docs/cli-json.md describes.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object per line on stdout (schema in docs/cli-json.md); everything else goes to stderr." };

    /// <summary>A multiaddr argument, checked when parsed; with <paramref name="requirePeerId"/>, it must end in /p2p/&lt;peer id&gt;.</summary>
    public static Argument<Multiaddr> MultiaddrArgument(string name, string description, bool requirePeerId = false) =>
        new(name)
        {
            Description = description,
            CustomParser = result =>
            {
                var address = ParseMultiaddr(result, $"<{name}>");
                if (requirePeerId && address is { PeerIdBytes: null })
                {
                    result.AddError($"<{name}>: '{address}' must end in /p2p/<peer id>, the peer to connect to.");
                }
                return address;
            },
        };

    /// <summary>An option whose value is a multiaddr, checked when parsed.</summary>
    public static Option<Multiaddr> MultiaddrOption(string name, string alias, string description, string defaultValue) =>
        new(name, alias)
        {
            Description = description,
            DefaultValueFactory = _ => Multiaddr.Parse(defaultValue),
            CustomParser = result => ParseMultiaddr(result, name),
        };

    /// <summary>A number option with a default: refuses text that is not a number of type <typeparamref name="T"/>, and values outside <paramref name="range"/>.</summary>
    public static Option<T> Number<T>(string name, string[] aliases, string description, NumberRange<T> range, T defaultValue)
        where T : struct, INumber<T> =>
        new(name, aliases)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => result.Tokens.Count == 0 ? defaultValue : ParseNumber(result, name, range),
        };

    /// <summary>A number option without a default (null when absent), checked like <see cref="Number"/>.</summary>
    public static Option<T?> OptionalNumber<T>(string name, string[] aliases, string description, NumberRange<T> range)
        where T : struct, INumber<T> =>
        new(name, aliases)
        {
            Description = description,
            CustomParser = result => result.Tokens.Count == 0 ? null : ParseNumber(result, name, range),
        };

    /// <summary>
    /// A file or directory path (<paramref name="helpName"/> is <see cref="FileHelpName"/> or <see cref="DirectoryHelpName"/>):
    /// any text but an empty one.
    /// </summary>
    public static Option<string?> Path(string name, string helpName, string description) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result => Text(result, text => string.IsNullOrWhiteSpace(text) ? $"{name} must not be empty." : null),
        };

    /// <summary>A file argument: any text but an empty one, like <see cref="Path"/>.</summary>
    public static Argument<string> PathArgument(string name, string description) =>
        new(name)
        {
            Description = description,
            HelpName = FileHelpName,
            CustomParser = result => Text(result, text => string.IsNullOrWhiteSpace(text) ? $"<{name}> must not be empty." : null) ?? "",
        };

    /// <summary>An absolute http or https URL.</summary>
    public static Option<Uri?> HttpUrl(string name, string description) =>
        new(name)
        {
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
                {
                    return url;
                }
                result.AddError($"{name} '{text}' is not an absolute http(s) URL.");
                return null;
            },
        };

    /// <summary>
    /// Adds a check of a text option's value when parsed: <paramref name="check"/> returns the error (naming the
    /// option) or null.
    /// </summary>
    public static Option<string> Checked(this Option<string> option, Func<string, string?> check)
    {
        option.CustomParser = result => Text(result, check);
        return option;
    }

    /// <summary>
    /// Makes <paramref name="tryParse"/> the option's parser; text it refuses is a parse error,
    /// <paramref name="error"/> of the text (naming the option).
    /// </summary>
    public static Option<T> ParsedBy<T>(this Option<T> option, TryParser<T> tryParse, Func<string, string> error)
        where T : class
    {
        option.CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (tryParse(text, out var value))
            {
                return value;
            }
            result.AddError(error(text));
            return null;
        };
        return option;
    }

    private static string? Text(ArgumentResult result, Func<string, string?> check)
    {
        var text = result.Tokens.Single().Value;
        if (check(text) is { } error)
        {
            result.AddError(error);
            return null;
        }
        return text;
    }

    private static Multiaddr? ParseMultiaddr(ArgumentResult result, string name)
    {
        var text = result.Tokens.Single().Value;
        try
        {
            return Multiaddr.Parse(text);
        }
        catch (FormatException ex)
        {
            result.AddError($"{name}: '{text}' is not a multiaddr: {ex.Message}");
            return null;
        }
    }

    private static T ParseNumber<T>(ArgumentResult result, string name, NumberRange<T> range)
        where T : struct, INumber<T>
    {
        var text = result.Tokens.Single().Value;
        var whole = IsWhole<T>();
        if (T.TryParse(text, whole ? NumberStyles.Integer : NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            if (!range.Contains(value))
            {
                result.AddError($"{name} must be {range.Describe()} (was {text}).");
            }
            return value;
        }
        // A whole number too large for T is out of range, not malformed.
        result.AddError(whole && double.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            ? $"{name} must be {range.Describe()} (was {text})."
            : $"{name}: '{text}' is not a {(whole ? "whole number" : "number")}.");
        return default;
    }

    /// <summary>Whether <typeparamref name="T"/> holds whole numbers only: its division truncates 1/2 to 0.</summary>
    private static bool IsWhole<T>() where T : struct, INumber<T> => T.One / (T.One + T.One) == T.Zero;
}
