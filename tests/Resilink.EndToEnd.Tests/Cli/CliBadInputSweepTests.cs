using System.CommandLine;
using Resilink.Cli;
using Resilink.Cli.Commands;
using Resilink.Net.Addressing;

namespace Resilink.EndToEnd.Tests.Cli;

/// <summary>
/// Every option and argument of every command, found by walking the command tree (so a new one is covered without
/// editing this test), given each kind of bad value, in process: exit code 2 and exactly one line on stderr that names
/// it, nothing on stdout, no stack trace.
/// </summary>
public sealed class CliBadInputSweepTests
{
    /// <summary>A valid peer address for a command's required argument while another symbol is under test.</summary>
    private const string SomePeer = "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";

    /// <summary>A non-number, an empty string, a negative value and a value too large for any of the options.</summary>
    private static readonly string[] BadValues = ["abc", "", "-1", "99999999999999999999"];

    /// <summary>
    /// Every (command path, option or argument, bad value) of the tree, subcommands of subcommands included; flags take
    /// no value, paths only refuse "".
    /// </summary>
    public static TheoryData<string, string, string> Cases()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var (path, command) in Commands(ResilinkCli.CreateRootCommand(), ""))
        {
            foreach (var symbol in Values(command))
            {
                foreach (var value in IsFreeText(symbol) ? [""] : BadValues)
                {
                    cases.Add(path, symbol.Name, value);
                }
            }
        }
        return cases;
    }

    [Fact]
    public void Cases_CoverEveryCommandAndTheNumberOptionsSeenCrashing()
    {
        var covered = Cases().Select(c => $"{c[0]} {c[1]}").ToHashSet(StringComparer.Ordinal);

        string[] commands = ["chaos-proxy", "daemon", "demo", "dial", "listen", "ping", "watch"];
        Assert.Empty(commands.Except(covered.Select(c => c.Split(' ')[0])));
        string[] seenCrashing =
        [
            "ping --count", "ping --interval", "ping --timeout", "dial --timeout", "watch --connections", "watch --duration",
            "demo --duration", "demo --peers", "chaos-proxy --latency", "ping multiaddr", "listen --listen",
        ];
        Assert.Empty(seenCrashing.Except(covered));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadValue_Exits2WithOneLineNamingIt(string commandPath, string symbolName, string value)
    {
        var command = Commands(ResilinkCli.CreateRootCommand(), "").Single(c => c.Path == commandPath).Command;
        var symbol = Values(command).Single(s => s.Name == symbolName);
        string[] args = symbol is Option
            ? [.. commandPath.Split(' '), .. ValidRequired(command, except: symbol), symbolName, value]
            : [.. commandPath.Split(' '), value, .. ValidRequired(command, except: symbol)];

        var (code, stdout, stderr) = await RunAsync(args);

        var shown = string.Join(' ', args.Select(a => $"'{a}'"));
        Assert.True(code == 2, $"{shown}: exit code {code}\n{stderr}");
        var line = Assert.Single(Lines(stderr));
        Assert.StartsWith($"resilink {commandPath}: ", line, StringComparison.Ordinal);
        Assert.Contains(symbol is Option ? symbolName : $"<{symbolName}>", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    /// <summary>Every option that takes a value, for <see cref="MissingValue_Exits2WithOneLineNamingTheOption"/>.</summary>
    public static TheoryData<string, string> ValueOptions()
    {
        var cases = new TheoryData<string, string>();
        foreach (var (path, command) in Commands(ResilinkCli.CreateRootCommand(), ""))
        {
            foreach (var option in Values(command).OfType<Option>())
            {
                cases.Add(path, option.Name);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(ValueOptions))]
    public async Task MissingValue_Exits2WithOneLineNamingTheOption(string commandPath, string optionName)
    {
        var command = Commands(ResilinkCli.CreateRootCommand(), "").Single(c => c.Path == commandPath).Command;
        var option = command.Options.Single(o => o.Name == optionName);

        var (code, _, stderr) = await RunAsync([.. commandPath.Split(' '), .. ValidRequired(command, except: option), optionName]);

        Assert.Equal(2, code);
        Assert.Contains($"'{optionName}'", Assert.Single(Lines(stderr)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ping --count abc", "resilink ping: --count: 'abc' is not a whole number.")]
    [InlineData("ping --interval 0", "resilink ping: --interval must be more than 0 and at most 86400 seconds (was 0).")]
    [InlineData("ping --timeout 1e400", "resilink ping: --timeout must be more than 0 and at most 86400 seconds (was 1e400).")]
    [InlineData("watch --connections 17", "resilink watch: --connections must be at least 1 and at most 16 (was 17).")]
    [InlineData("demo --peers 99999999999", "resilink demo: --peers must be at least 2 and at most 16 (was 99999999999).")]
    [InlineData("chaos-proxy --latency x", "resilink chaos-proxy: --latency: 'x' is not a number.")]
    public async Task BadValue_SaysWhatIsAllowed(string commandLine, string expected)
    {
        var words = commandLine.Split(' ');
        string[] args = [words[0], .. ValidRequired(ResilinkCli.CreateRootCommand().Subcommands.Single(c => c.Name == words[0]), except: null), .. words[1..]];

        var (code, _, stderr) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal([expected], Lines(stderr));
    }

    [Theory]
    [InlineData(new[] { "nosuchcommand" }, "resilink: 'nosuchcommand' is not a resilink command.", "Try 'resilink --help'.")]
    [InlineData(new string[0], "resilink: a command is required.", "Try 'resilink --help'.")]
    [InlineData(new[] { "ping", SomePeer, "--bogus" }, "resilink ping: Unrecognized command or argument '--bogus'.", "Try 'resilink ping --help'.")]
    public async Task UnknownWord_NamesItAndPointsToTheRightHelp(string[] args, string error, string hint)
    {
        var (code, _, stderr) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal([error, hint], Lines(stderr));
    }

    /// <summary>Every command under <paramref name="parent"/> (at any depth) with its path, e.g. "ping".</summary>
    private static IEnumerable<(string Path, Command Command)> Commands(Command parent, string parentPath)
    {
        foreach (var command in parent.Subcommands)
        {
            var path = parentPath.Length == 0 ? command.Name : $"{parentPath} {command.Name}";
            yield return (path, command);
            foreach (var nested in Commands(command, path))
            {
                yield return nested;
            }
        }
    }

    /// <summary>The options that take a value, then the arguments.</summary>
    private static IEnumerable<Symbol> Values(Command command) =>
        command.Options.Where(o => o.ValueType != typeof(bool)).Cast<Symbol>().Concat(command.Arguments);

    /// <summary>A path: any text is a valid name, so only the empty one is bad.</summary>
    private static bool IsFreeText(Symbol symbol) =>
        symbol is Option { HelpName: CommonOptions.FileHelpName or CommonOptions.DirectoryHelpName }
        || symbol is Argument { HelpName: CommonOptions.FileHelpName }
        || symbol is Option o && typeof(FileSystemInfo).IsAssignableFrom(o.ValueType);

    /// <summary>Valid values for the command's required arguments and options, but <paramref name="except"/>.</summary>
    private static IEnumerable<string> ValidRequired(Command command, Symbol? except)
    {
        foreach (var argument in command.Arguments.Where(a => a != except))
        {
            yield return ValidValue(argument);
        }
        foreach (var option in command.Options.Where(o => o.Required && o != except))
        {
            yield return option.Name;
            yield return ValidValue(option);
        }
    }

    private static string ValidValue(Symbol symbol) => symbol switch
    {
        Argument { ValueType: var t } when t == typeof(Multiaddr) => SomePeer,
        Option { Name: "--target" } => "127.0.0.1:1",
        _ => throw new InvalidOperationException($"No valid value known for the required {symbol.Name}: add one here so the sweep can reach the other symbols."),
    };

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var code = await ResilinkCli.RunAsync(args, stdout, stderr, deadline.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
