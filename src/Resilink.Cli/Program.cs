using System.CommandLine;
using Resilink.Cli.Commands;

var root = new RootCommand("Resilink: resilient libp2p connections — health-checked, balanced, self-healing.")
{
    DemoCommand.Create(),
    PingCommand.Create(),
    ListenCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
