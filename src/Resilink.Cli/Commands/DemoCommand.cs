using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Resilink.Balancing;
using Resilink.Cli.Demo;

namespace Resilink.Cli.Commands;

/// <summary>
/// <c>resilink demo</c>: a local swarm under scripted faults and continuous load, shown live (see <see cref="DemoRunner"/>).
/// This class only parses and validates the options.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Below this the faults have no time to be noticed before the end.</summary>
    public const double MinDurationSeconds = 10;

    private const string Help = """
        Start a local libp2p swarm on 127.0.0.1 (every pair of hosts with 3 connections, each through a fault-injecting
        proxy; health monitoring every second), run request/response echo load between all of them, and inject scripted
        faults: one connection gets +200 ms, one is black-holed, one is reset, later the first recovers. A live table
        shows each connection's status, health score, RTT, streams and bytes/s, with recent events (Degraded, Dead,
        replaced, failover). At the end: requests, failures (on healthy and on faulted connections), p50/p99 per
        strategy (of successful requests; failures counted apart), each fault with the time it took to detect, and
        connections replaced. Plain lines instead of the table when stdout is not a terminal. Ctrl+C ends early with a
        partial summary and exit code 0.

        Examples:
          resilink demo
          resilink demo --peers 8 --duration 120 --strategy HealthBased
          resilink demo --seed 7 --duration 20 --json > summary.json
        """;

    public static Command Create()
    {
        var peers = CommonOptions.Number("--peers", ["-n"], "Hosts in the swarm (2 to 16).", NumberRange<int>.Between(2, 16), 5);
        var duration = CommonOptions.Number(
            "--duration", ["-d"], "Seconds of load and faults (at least 10).", NumberRange<double>.Between(MinDurationSeconds, CommonOptions.MaxSeconds, " seconds"), 60.0);
        var strategy = new Option<string>("--strategy", "-s")
        {
            Description = "Load-balancing strategy of every host, or 'all' to give hosts " + string.Join(", ", DemoSettings.MixedStrategies) + " in turn.",
            DefaultValueFactory = _ => "all",
        };
        var seed = CommonOptions.OptionalNumber(
            "--seed", [], "Seed of the fault schedule: the same seed, peers and duration give the same schedule. Default: random (printed).", NumberRange<int>.Between(0, int.MaxValue));
        var json = new Option<bool>("--json") { Description = "Print only the summary, as JSON, on stdout (progress goes to stderr)." };
        var verbose = CommonOptions.Verbose();
        strategy.Checked(text => TryParseStrategy(text, out _)
            ? null
            : $"--strategy must be 'all' or one of {string.Join(", ", Enum.GetNames<LoadBalancingStrategyKind>())} (was '{text}').");
        var command = new Command("demo", Help) { peers, duration, strategy, seed, json, verbose };
        command.SetAction(async (parse, ct) =>
        {
            _ = TryParseStrategy(parse.GetValue(strategy), out var kind); // validated above
            var settings = new DemoSettings(
                parse.GetValue(peers),
                TimeSpan.FromSeconds(parse.GetValue(duration)),
                kind,
                parse.GetValue(seed) ?? Random.Shared.Next(1, 100_000));
            using var logging = parse.GetValue(verbose) ? CliLogging.Create(verbose: true) : NullLoggerFactory.Instance;
            return await DemoRunner.RunAsync(settings, parse.GetValue(json), logging, ct);
        });
        return command;
    }

    /// <summary>'all' (null: mixed) or a strategy name, case-insensitive.</summary>
    private static bool TryParseStrategy(string? text, out LoadBalancingStrategyKind? kind)
    {
        kind = null;
        if (string.Equals(text, "all", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (Enum.TryParse<LoadBalancingStrategyKind>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(text, out _))
        {
            kind = parsed;
            return true;
        }
        return false;
    }
}
