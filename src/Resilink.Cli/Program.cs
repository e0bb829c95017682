using Resilink.Cli;

return await ResilinkCli.RunAsync(args, Console.Out, Console.Error);
