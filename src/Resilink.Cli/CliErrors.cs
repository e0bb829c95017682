using System.CommandLine;

namespace Resilink.Cli;

/// <summary>How the CLI reports bad input and failures: one line each on stderr, prefixed with the command.</summary>
internal static class CliErrors
{
    /// <summary>The exit code of a runtime failure (port in use, peer unreachable…).</summary>
    public const int Failure = 1;

    /// <summary>The exit code of bad input (an unknown command or option, a value that does not parse or is out of range).</summary>
    public const int BadInput = 2;

    /// <summary>
    /// One line per error. Unknown words get the hint to the help of the command they were given to, like other Unix tools
    /// do, instead of a wall of help; a bad value's line names its option and needs none.
    /// </summary>
    public static async Task WriteParseErrorsAsync(ParseResult parse, TextWriter stderr)
    {
        var path = CommandPath(parse);
        if (parse.CommandResult.Command.Action is null)
        {
            // No subcommand given, or an unknown one: System.CommandLine says both "required command" and "unrecognized".
            await stderr.WriteLineAsync(parse.UnmatchedTokens.Count > 0
                ? $"{path}: '{parse.UnmatchedTokens[0]}' is not a {path} command."
                : $"{path}: a command is required.");
        }
        else
        {
            foreach (var message in parse.Errors.Select(e => OneLine(e.Message)).Distinct())
            {
                await stderr.WriteLineAsync($"{path}: {message}");
            }
        }
        if (parse.UnmatchedTokens.Count > 0 || parse.CommandResult.Command.Action is null)
        {
            await stderr.WriteLineAsync($"Try '{path} --help'.");
        }
    }

    /// <summary>One line for a failure that ended a command; with <c>--verbose</c>, the exception with its stack trace as well.</summary>
    public static async Task WriteFailureAsync(ParseResult parse, Exception exception, TextWriter stderr)
    {
        await stderr.WriteLineAsync($"{CommandPath(parse)}: {Describe(exception)}");
        if (IsVerbose(parse))
        {
            await stderr.WriteLineAsync(exception.ToString());
        }
    }

    /// <summary>The exception's message and those of its causes, each once, on one line.</summary>
    public static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // An ArgumentException's message ends in "(Parameter 'x')", an internal name that means nothing to a user.
            var message = OneLine(e is ArgumentException { ParamName: { } name }
                ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal)
                : e.Message);
            if (!messages.Any(m => m.Contains(message, StringComparison.Ordinal)))
            {
                messages.Add(message);
            }
        }
        return string.Join(": ", messages);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    /// <summary>"resilink" then the subcommands given, e.g. "resilink ping".</summary>
    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (result.Command is not RootCommand)
            {
                names.Insert(0, result.Command.Name);
            }
        }
        return string.Join(' ', names.Prepend("resilink"));
    }

    private static bool IsVerbose(ParseResult parse) =>
        parse.CommandResult.Command.Options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == "--verbose") is { } verbose
        && parse.GetValue(verbose);
}
