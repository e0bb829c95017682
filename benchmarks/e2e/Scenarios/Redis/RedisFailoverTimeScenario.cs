using System.Diagnostics;
using System.Globalization;
using Resilink.EndToEnd.Tests.Redis;
using Resilink.Health;
using Resilink.Pooling;
using Resilink.Resilience;
using StackExchange.Redis;

namespace Resilink.E2e.Scenarios.Redis;

/// <summary>
/// (r2) Failover time: a pool with its primary on one real redis-server and its secondary on another, under a steady
/// SET/GET load; the primary is SIGKILLed and the time is measured from just before the kill to the first operation that
/// succeeds on the secondary. Each trial starts two fresh servers and a fresh pool.
/// </summary>
internal static class RedisFailoverTimeScenario
{
    private const int Workers = 4;
    private const int Connections = 2;

    public static async Task RunAsync(int trials, CancellationToken cancellationToken)
    {
        Console.WriteLine(Text($"(r2) Kill the primary (SIGKILL) under load -> first successful SET/GET on the secondary: {trials} trials, fresh servers each,"));
        Console.WriteLine(Text($"     {Workers} workers (lease, SET, GET, dispose; a failure is reported with connectionBroken: true), pool of {Connections} shared multiplexers per endpoint,"));
        Console.WriteLine("     FailureThreshold 3 (default), health checks every 1 s, other options default; the kill comes after 500 successes on the primary.");
        var times = new List<double>();
        var failures = new List<int>();
        for (int trial = 1; trial <= trials; trial++)
        {
            var (elapsed, decided, failed) = await RunTrialAsync(cancellationToken);
            times.Add(elapsed.TotalMilliseconds);
            failures.Add(failed);
            Console.WriteLine(Text($"     trial {trial,2}: {elapsed.TotalMilliseconds,8:0.0} ms (Primary->FailingOver at {decided.TotalMilliseconds:0.0} ms), {failed} failed operations"));
        }
        times.Sort();
        Console.WriteLine();
        Console.WriteLine(Text(
            $"(r2) kill -> first success on the secondary over {trials} trials: p50 {times[(times.Count - 1) / 2]:0.0} ms, min {times[0]:0.0} ms, max {times[^1]:0.0} ms; failed operations per trial {failures.Min()}-{failures.Max()} (bound {Workers * Connections})"));
    }

    private static async Task<(TimeSpan Elapsed, TimeSpan Decided, int Failed)> RunTrialAsync(CancellationToken cancellationToken)
    {
        await using var primary = await RedisServer.StartAsync(cancellationToken);
        await using var secondary = await RedisServer.StartAsync(cancellationToken);
        await using var pool = RedisClients.Pool(
            primary.Configuration, secondary.Configuration, Connections, Workers,
            new HealthOptions { EnableHealthMonitoring = true, HealthCheckInterval = TimeSpan.FromSeconds(1) });
        await pool.StartAsync(cancellationToken);
        string secondaryEndpoint = $"redis://{secondary.Configuration}";

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long onPrimary = 0, killedAt = 0, firstOnSecondary = 0, failingOver = 0;
        pool.FailoverStateChanged += (_, e) => Interlocked.CompareExchange(ref failingOver, e.To == FailoverState.FailingOver ? Stopwatch.GetTimestamp() : 0, 0);
        int failed = 0;
        var killable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            string key = $"bench:{w}";
            while (!stop.IsCancellationRequested)
            {
                ConnectionLease<IConnectionMultiplexer> lease;
                try
                {
                    lease = await pool.AcquireAsync(stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                await using (lease)
                {
                    bool onSecondary = lease.Endpoint == secondaryEndpoint;
                    try
                    {
                        var database = lease.Connection.GetDatabase();
                        await database.StringSetAsync(key, "v");
                        await database.StringGetAsync(key);
                    }
                    catch (RedisException ex)
                    {
                        lease.ReportFailure(ex, connectionBroken: true);
                        Interlocked.Increment(ref failed);
                        continue;
                    }
                    long now = Stopwatch.GetTimestamp();
                    if (!onSecondary && Interlocked.Increment(ref onPrimary) == 500)
                    {
                        killable.TrySetResult();
                    }
                    else if (onSecondary && Interlocked.CompareExchange(ref firstOnSecondary, now, 0) == 0)
                    {
                        done.TrySetResult();
                    }
                }
            }
        }, cancellationToken)).ToArray();

        await killable.Task.WaitAsync(cancellationToken);
        Volatile.Write(ref killedAt, Stopwatch.GetTimestamp());
        await primary.KillAsync();
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        // The first secondary lease may come before the switch completes: once the primary has failed, FailingOver
        // lends the secondary's connections as soon as the warm-up opens them.
        if (pool.CurrentEndpoint != secondaryEndpoint)
        {
            throw new InvalidOperationException($"The pool lends {pool.CurrentEndpoint} ({pool.Failover!.Statistics.State}), not the secondary.");
        }
        return (Stopwatch.GetElapsedTime(killedAt, firstOnSecondary), Stopwatch.GetElapsedTime(killedAt, failingOver), failed);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
