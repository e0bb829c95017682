using System.CommandLine;
using Resilink.Cli.Commands;

namespace Resilink.Cli;

/// <summary>
/// The <c>resilink</c> command line: its command tree, and one run of it with the outcome as an exit code — 0 done,
/// 1 a runtime failure (one line on stderr), 2 bad input (one line on stderr). Constructible in process for tests.
/// </summary>
internal static class ResilinkCli
{
    /// <summary>
    /// Lets a command stop by itself on Ctrl+C / SIGTERM: System.CommandLine cancels the command's token, then by default
    /// waits only 2 s before giving up on it and returning 130/143. Every command stops on that token (the demo with its
    /// partial summary and exit code 0, after closing a swarm that may include black-holed connections); the limit is
    /// a safety net for a command stuck in shutdown.
    /// </summary>
    private static readonly TimeSpan ShutdownAllowance = TimeSpan.FromSeconds(15);

    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand CreateRootCommand() =>
        new("Resilink: resilient libp2p connections — health-checked, balanced, self-healing.")
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

    /// <summary>Parses and runs <paramref name="args"/>, writing to <paramref name="stdout"/> and <paramref name="stderr"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var parse = CreateRootCommand().Parse(args);
        if (parse.Errors.Count > 0)
        {
            await CliErrors.WriteParseErrorsAsync(parse, stderr);
            return CliErrors.BadInput;
        }
        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = stdout,
                    Error = stderr,
                    EnableDefaultExceptionHandler = false, // CliErrors below: one line, the stack trace only with --verbose
                    ProcessTerminationTimeout = ShutdownAllowance,
                },
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return CliErrors.Failure;
        }
        catch (Exception ex)
        {
            await CliErrors.WriteFailureAsync(parse, ex, stderr);
            return CliErrors.Failure;
        }
    }
}
