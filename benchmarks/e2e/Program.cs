using System.Globalization;
using Resilink.E2e;
using Resilink.E2e.Scenarios;
using Resilink.E2e.Scenarios.Health;
using Resilink.E2e.Scenarios.Redis;

// End-to-end figures on loopback, Resilink and js-libp2p side by side in one run.
// Usage: dotnet run -c Release --project benchmarks/e2e -- [--mib 256] [--pings 1000] [--repeat 3] [--no-js] [--only-resilink]
// Telemetry overhead (metrics and traces off vs on): -- --telemetry [--mib N] [--requests N] [--workers N] [--repeat N]
// Health scenarios instead of the throughput ones: -- --health [--only tail|detection|scale] [--plot file.png] [--requests 20000] [--workers 32]
//   [--trials 20] [--settle 10] [--fakes 10000] [--seconds 20] [--quick] (--quick: 2000 requests, 5 trials, 5 s windows)
// Redis through ConnectionPool vs StackExchange.Redis directly, and failover time: -- --redis [--only get|failover]
//   [--requests 20000] [--workers 32] [--repeat 3] [--trials 10]
// The SQLite history writer's sustained samples per second: -- --history [--seconds 10] [--repeat 3]
// Dashboard overhead, daemon CPU with the dashboard closed vs open: -- --dashboard [--peers 100] [--connections 3]
//   [--seconds 20] [--repeat 3]
var mib = 256;
var pings = 1000;
var repeat = 3;
var withJs = true;
var onlyResilink = false;
var health = false;
var telemetry = false;
var redis = false;
var history = false;
int? secondsGiven = null;
var dashboard = false;
var peers = 100;
var connections = 3;
int? trialsGiven = null;
string? only = null;
var requests = 20_000;
var workers = 32;
var trials = 20;
var fakes = 10_000;
var seconds = 20;
var settle = 10;
string? plot = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--mib": mib = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--pings": pings = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--no-js": withJs = false; break;
        case "--only-resilink": onlyResilink = true; withJs = false; break; // for profiling the stack alone
        case "--health": health = true; break;
        case "--telemetry": telemetry = true; break;
        case "--only": only = args[++i]; break;
        case "--requests": requests = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--workers": workers = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--trials": trials = int.Parse(args[++i], CultureInfo.InvariantCulture); trialsGiven = trials; break;
        case "--redis": redis = true; break;
        case "--dashboard": dashboard = true; break;
        case "--peers": peers = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--connections": connections = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--fakes": fakes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seconds": seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); secondsGiven = seconds; break;
        case "--history": history = true; break;
        case "--settle": settle = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--quick": requests = 2_000; trials = 5; seconds = 5; break;
        case "--plot": plot = args[++i]; break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'. Usage: [--mib N] [--pings N] [--repeat N] [--no-js] [--only-resilink] | --telemetry [--requests N] [--workers N] | --history [--seconds N] [--repeat N] | --dashboard [--peers N] [--connections N] [--seconds N] [--repeat N] | --redis [--only get|failover] [--requests N] [--workers N] [--repeat N] [--trials N] | --health [--only tail|detection|scale] [--plot file.png] [--requests N] [--workers N] [--trials N] [--settle S] [--fakes N] [--seconds N] [--quick]");
            return 2;
    }
}

using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
var ct = cancel.Token;
var bytes = mib * 1024L * 1024L;
if (telemetry)
{
    Console.WriteLine($"Resilink e2e telemetry overhead: {mib} MiB per upload, {requests} echo requests x {workers} workers, {repeat} rounds, load average {LoadAverage()}");
    await TelemetryOverheadScenario.RunAsync(bytes, requests, workers, repeat, ct);
    Console.WriteLine($"     load average {LoadAverage()}");
    return 0;
}

if (history)
{
    Console.WriteLine($"Resilink e2e history benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}");
    await HistoryWriterScenario.RunAsync(TimeSpan.FromSeconds(secondsGiven ?? 10), repeat, ct);
    Console.WriteLine($"     load average {LoadAverage()}");
    return 0;
}

if (dashboard)
{
    Console.WriteLine($"Resilink e2e dashboard overhead: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}");
    await DashboardOverheadScenario.RunAsync(peers, connections, TimeSpan.FromSeconds(seconds), repeat, ct);
    Console.WriteLine($"     load average {LoadAverage()}");
    return 0;
}

if (redis)
{
    Console.WriteLine($"Resilink e2e Redis benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}");
    if (only is null or "get")
    {
        await RedisGetThroughputScenario.RunAsync(requests, workers, repeat, ct);
        Console.WriteLine($"     load average {LoadAverage()}");
        Console.WriteLine();
    }
    if (only is null or "failover")
    {
        await RedisFailoverTimeScenario.RunAsync(trialsGiven ?? 10, ct);
        Console.WriteLine($"     load average {LoadAverage()}");
    }
    return 0;
}

if (health)
{
    Console.WriteLine($"Resilink e2e health benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}");
    if (only is null or "tail")
    {
        await TailLatencyScenario.RunAsync(requests, workers, plot, ct);
        Console.WriteLine($"     load average {LoadAverage()}");
        Console.WriteLine();
    }
    if (only is null or "detection")
    {
        await DetectionScenario.RunAsync(trials, TimeSpan.FromSeconds(settle), ct);
        Console.WriteLine($"     load average {LoadAverage()}");
        Console.WriteLine();
    }
    if (only is null or "scale")
    {
        await MonitorScaleScenario.RunAsync(fakes, TimeSpan.FromSeconds(seconds), ct);
        Console.WriteLine($"     load average {LoadAverage()}");
    }
    return 0;
}

Console.WriteLine($"Resilink e2e benchmark: {mib} MiB per throughput run, {pings} pings, {repeat} rounds, {Environment.ProcessorCount} cores, .NET {Environment.Version}");

if (onlyResilink)
{
    Console.WriteLine(await ResilinkScenarios.ResilinkToResilinkAsync(bytes, pings, ct));
    return 0;
}

// Rounds interleave the stacks (a b e c d, a b e c d, ...) so that drift in the machine's speed hits all of them alike.
var rounds = new List<Measurement>();
for (var round = 1; round <= repeat; round++)
{
    rounds.Add(await RawTcpThroughput.RunAsync(bytes, ct));
    rounds.Add(AeadLimit.Run(bytes));
    rounds.Add(await ResilinkScenarios.ResilinkToResilinkAsync(bytes, pings, ct));
    rounds.Add(await ParallelStreamsScenario.RunAsync(connections: 1, bytes, ct));
    rounds.Add(await ParallelStreamsScenario.RunAsync(connections: 3, bytes, ct));
    if (withJs)
    {
        rounds.Add(await JsBench.RunAsync(bytes, pings, ct));
        rounds.AddRange(await ResilinkScenarios.WithJsAsync(bytes, pings, ct));
    }
    Console.WriteLine($"round {round}: " + string.Join(", ", rounds.TakeLast(withJs ? 8 : 5).Select(m => $"{m.Name.Split(' ')[0]} {m.MibPerSecond:0}")));
}

Console.WriteLine();
Console.WriteLine($"Medians over {repeat} rounds (MiB/s; min-max in brackets):");
var medians = rounds.GroupBy(m => m.Name).Select(Measurement.Median).ToList();
foreach (var (median, spread) in medians)
{
    Console.WriteLine($"{median} [{spread}]");
}

double Of(string prefix) => medians.First(m => m.Median.Name.StartsWith(prefix, StringComparison.Ordinal)).Median.MibPerSecond;
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(b)/(a) Resilink vs raw TCP:          {Of("(b)") / Of("(a)"):0.00}x"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(e)/(b) AEAD limit vs Resilink stream: {Of("(e)") / Of("(b)"):0.00}x (target <= 2)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(f) 3 connections vs 1, 8 streams:    {medians.Last(m => m.Median.Name.StartsWith("(f)", StringComparison.Ordinal)).Median.MibPerSecond / Of("(f)"):0.00}x"));
if (withJs)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(b)/(c) Resilink vs js-libp2p:         {Of("(b)") / Of("(c)"):0.00}x (target >= 4)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(d)/(c) Resilink->js vs js->js:        {Of("(d)") / Of("(c)"):0.00}x"));
}
return 0;

// The machine is shared: every figure is reported with the load it was measured under.
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
