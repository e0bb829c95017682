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
    KeyCommand.Create(),
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
// On Ctrl+C / SIGTERM System.CommandLine cancels the command's token, then by default waits only 2 s before giving up
// on the command and returning 130/143. Every command stops on that token by itself (the demo with its partial summary
// and exit code 0, after closing a swarm that may include black-holed connections), so allow it a bounded while longer
// to finish with its own exit code; the limit is a safety net for a command stuck in shutdown.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) });
