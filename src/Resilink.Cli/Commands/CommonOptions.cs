using System.CommandLine;
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
}
