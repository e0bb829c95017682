using System.Diagnostics;
using System.Globalization;
using Resilink.E2e.Scenarios.Health;
using Resilink.EndToEnd.Tests.Redis;
using StackExchange.Redis;

namespace Resilink.E2e.Scenarios.Redis;

/// <summary>
/// (r1) Redis GET throughput and latency against one real redis-server: StackExchange.Redis used directly (one
/// multiplexer) vs the same GETs through <c>ConnectionPool&lt;IConnectionMultiplexer&gt;</c> (acquire a lease, GET,
/// dispose the lease) with one and with two multiplexers. Same workers and request count; rounds interleave the three
/// clients (order rotating), medians over rounds.
/// </summary>
internal static class RedisGetThroughputScenario
{
    private const string Key = "bench:key";

    private enum Client
    {
        Direct,
        Pool1,
        Pool2,
    }

    public static async Task RunAsync(int requests, int workers, int repeat, CancellationToken cancellationToken)
    {
        await using var server = await RedisServer.StartAsync(cancellationToken);
        using (var setup = await ConnectionMultiplexer.ConnectAsync(RedisClients.Options(server.Configuration)))
        {
            await setup.GetDatabase().StringSetAsync(Key, new string('x', 64));
        }
        Console.WriteLine(Text($"(r1) Redis GET of a 64 B value: {requests} GETs per run, {workers} concurrent workers, {repeat} rounds, one redis-server on 127.0.0.1."));
        Console.WriteLine("     direct = one ConnectionMultiplexer shared by the workers; pool N = ConnectionPool (N multiplexers, shared leases, defaults) with acquire + GET + dispose per request.");

        // One unreported run of each first: JIT tiering of the whole path would skew whichever ran first.
        foreach (var client in Enum.GetValues<Client>())
        {
            await RunOneAsync(client, server.Configuration, Math.Min(requests, 5_000), workers, cancellationToken);
        }

        var results = new Dictionary<Client, List<Result>>();
        var clients = Enum.GetValues<Client>();
        for (int round = 0; round < repeat; round++)
        {
            var line = new List<string>();
            for (int i = 0; i < clients.Length; i++)
            {
                var client = clients[(i + round) % clients.Length];
                var result = await RunOneAsync(client, server.Configuration, requests, workers, cancellationToken);
                (results.TryGetValue(client, out var list) ? list : results[client] = []).Add(result);
                line.Add(Text($"{client} {result.OpsPerSecond:0} ops/s p99 {result.Latency.P99:0.000} ms"));
            }
            Console.WriteLine($"     round {round + 1}: {string.Join(", ", line)}");
        }

        Console.WriteLine();
        Console.WriteLine(Text($"(r1) Medians over {repeat} rounds:"));
        Console.WriteLine("     client      ops/s (min-max)            p50 ms    p99 ms    ops/s vs direct   p50 vs direct   p99 vs direct");
        var direct = Median(results[Client.Direct]);
        foreach (var client in clients)
        {
            var m = Median(results[client]);
            var spread = results[client].Select(r => r.OpsPerSecond).Order().ToList();
            Console.WriteLine(Text(
                $"     {client,-10} {m.OpsPerSecond,8:0} ({spread[0]:0}-{spread[^1]:0})   {m.P50,8:0.000}  {m.P99,8:0.000}    {m.OpsPerSecond / direct.OpsPerSecond,8:0.00}x        {m.P50 / direct.P50,8:0.00}x       {m.P99 / direct.P99,8:0.00}x"));
        }
    }

    private static (double OpsPerSecond, double P50, double P99) Median(List<Result> rounds)
    {
        static double Mid(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted[sorted.Count / 2];
        }
        return (Mid(rounds.Select(r => r.OpsPerSecond)), Mid(rounds.Select(r => r.Latency.P50)), Mid(rounds.Select(r => r.Latency.P99)));
    }

    private static async Task<Result> RunOneAsync(Client client, string configuration, int requests, int workers, CancellationToken cancellationToken)
    {
        var samples = new double[requests];
        int next = -1;
        Stopwatch watch;
        if (client == Client.Direct)
        {
            await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(RedisClients.Options(configuration));
            var database = multiplexer.GetDatabase();
            watch = Stopwatch.StartNew();
            await RunWorkersAsync(async () => await database.StringGetAsync(Key));
        }
        else
        {
            await using var pool = RedisClients.Pool(configuration, secondary: null, connections: client == Client.Pool1 ? 1 : 2, workers);
            await pool.StartAsync(cancellationToken);
            watch = Stopwatch.StartNew();
            await RunWorkersAsync(async () =>
            {
                await using var lease = await pool.AcquireAsync(cancellationToken);
                await lease.Connection.GetDatabase().StringGetAsync(Key);
            });
        }
        watch.Stop();
        return new Result(LatencySummary.Of(samples), requests / watch.Elapsed.TotalSeconds);

        Task RunWorkersAsync(Func<Task> get) => Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                long started = Stopwatch.GetTimestamp();
                await get();
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }, cancellationToken)));
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Result(LatencySummary Latency, double OpsPerSecond);
}
