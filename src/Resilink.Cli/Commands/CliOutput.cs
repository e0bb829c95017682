using System.CommandLine;
using Resilink.Cli.Json;

namespace Resilink.Cli.Commands;

/// <summary>
/// Where a command writes: the invocation's stdout and stderr (the console, or the writers a test gave
/// <see cref="ResilinkCli.RunAsync"/>), and with <c>--json</c> its JSON lines instead of text on stdout.
/// </summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="Json">The JSON lines with --json, else null.</param>
internal sealed record CliOutput(TextWriter Out, TextWriter Error, JsonLines? Json)
{
    /// <summary>Text for people: stdout, or nowhere with --json (stdout then carries only JSON).</summary>
    public TextWriter Text => Json is null ? Out : TextWriter.Null;

    /// <summary>Progress for people: stdout, or stderr with --json.</summary>
    public TextWriter Progress => Json is null ? Out : Error;

    /// <summary>Whether stdout is the console's and a terminal, where a live table can be drawn.</summary>
    public bool IsTerminal => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>The writers of <paramref name="parse"/>'s invocation; JSON lines on its stdout when <paramref name="json"/>.</summary>
    public static CliOutput Of(ParseResult parse, bool json)
    {
        var configuration = parse.InvocationConfiguration;
        return new(configuration.Output, configuration.Error, json ? new JsonLines(configuration.Output) : null);
    }
}
