using System.CommandLine;
using Resilink.Cli.Commands;

var root = new RootCommand("Resilink: resilient libp2p connections — health-checked, balanced, self-healing.")
{
    DemoCommand.Create(),
    PingCommand.Create(),
    ListenCommand.Create(),
    DaemonCommand.Create(),
    ChaosProxyCommand.Create(),
    DialCommand.Create(),
    WatchCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // Bad arguments: one clear line each and exit code 2, like other Unix tools, instead of a wall of help.
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync($"resilink: {error.Message}");
    }
    await Console.Error.WriteLineAsync($"Try 'resilink {string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(1))} --help'.".Replace("  ", " ", StringComparison.Ordinal));
    return 2;
}
return await parse.InvokeAsync();
