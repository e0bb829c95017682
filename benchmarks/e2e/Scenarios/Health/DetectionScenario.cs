using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Resilink.Health;
using Resilink.Net.Addressing;
using Resilink.Net.Chaos;
using Resilink.Net.Host;

namespace Resilink.E2e.Scenarios.Health;

/// <summary>
/// (h2) Time to detect a silently dead connection and to replace it. Each trial starts fresh hosts: a (monitoring on)
/// has three connections to b, the first through the chaos proxy; once all three are Healthy, after a random pause of
/// up to one check interval (so the fault lands at a random point of the ping cycle), the proxied one is black-holed.
/// Measured from that moment: its <see cref="Libp2pHost.HealthStatusChanged"/> to Dead, and the next
/// <see cref="Libp2pHost.ConnectionOpened"/> of a new connection to b (the replacement).
/// </summary>
internal static class DetectionScenario
{
    private static readonly TimeSpan TrialDeadline = TimeSpan.FromSeconds(60);

    public static HealthOptions Monitoring() => new()
    {
        EnableHealthMonitoring = true,
        HealthCheckInterval = TimeSpan.FromSeconds(1),
        PingTimeout = TimeSpan.FromSeconds(1),
    };

    public static async Task RunAsync(int trials, TimeSpan settle, CancellationToken cancellationToken)
    {
        var monitoring = Monitoring();
        var bound = monitoring.PingTimeout + monitoring.HealthCheckInterval;
        Console.WriteLine(Text($"(h2) Detection: {trials} trials; black hole on 1 of 3 connections. Monitoring: interval {monitoring.HealthCheckInterval.TotalSeconds:0.###} s, ping timeout {monitoring.PingTimeout.TotalSeconds:0.###} s, FailureThreshold {monitoring.FailureThreshold}, PhiThreshold {monitoring.PhiThreshold}, ReplaceUnhealthyConnections {monitoring.ReplaceUnhealthyConnections}."));
        Console.WriteLine(Text($"     Each trial: fresh hosts, all three Healthy, then {settle.TotalSeconds:0.#} s of monitoring (phi's history: its seed of interval +-25 % fades) plus a random 0-{monitoring.HealthCheckInterval.TotalSeconds:0.#} s, then the black hole."));
        var dead = new List<double>();
        var replaced = new List<double>();
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var trial = 1; trial <= trials; trial++)
        {
            var (deadMs, replacedMs, reason) = await RunTrialAsync(monitoring, settle, cancellationToken);
            dead.Add(deadMs);
            replaced.Add(replacedMs);
            var kind = reason.StartsWith("phi", StringComparison.Ordinal) ? "phi" : reason.StartsWith("ping failed", StringComparison.Ordinal) ? "consecutive ping failures" : reason;
            reasons[kind] = reasons.GetValueOrDefault(kind) + 1;
            Console.WriteLine(Text($"     trial {trial,2}: Dead after {deadMs,6:0} ms ({reason}), replacement open after {replacedMs,6:0} ms"));
        }

        var d = LatencySummary.Of(dead);
        var r = LatencySummary.Of(replaced);
        Console.WriteLine();
        Console.WriteLine(Text($"(h2) Black hole -> Dead:        p50 {d.P50,6:0} ms  max {d.Max,6:0} ms   (PingTimeout + interval = {bound.TotalMilliseconds:0} ms)"));
        Console.WriteLine(Text($"     Black hole -> replacement: p50 {r.P50,6:0} ms  max {r.Max,6:0} ms"));
        Console.WriteLine("     Dead because: " + string.Join(", ", reasons.Select(kv => $"{kv.Key} x{kv.Value}")));
    }

    private static async Task<(double DeadMs, double ReplacedMs, string Reason)> RunTrialAsync(HealthOptions monitoring, TimeSpan settle, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TrialDeadline);
        var ct = deadline.Token;
        await using var b = new Libp2pHost(new Libp2pHostOptions { IdentifyOnConnect = false });
        await b.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], ct);
        await using var proxy = await FaultInjectingProxy.StartAsync(b.ListenAddresses[0], ct: ct);
        await using var a = new Libp2pHost(new Libp2pHostOptions { Health = monitoring, IdentifyOnConnect = false });

        var status = new ConcurrentDictionary<string, HealthStatus>(StringComparer.Ordinal);
        var original = new HashSet<string>(StringComparer.Ordinal);
        var faultyId = "";
        long faultAt = 0;
        var deadAt = new TaskCompletionSource<(long At, string Reason)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var replacedAt = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.HealthStatusChanged += (_, e) =>
        {
            var now = Stopwatch.GetTimestamp();
            status[e.ConnectionId] = e.Current;
            if (Volatile.Read(ref faultAt) != 0 && e.ConnectionId == faultyId && e.Current == HealthStatus.Dead)
            {
                deadAt.TrySetResult((now, e.Reason));
            }
        };
        a.ConnectionOpened += (_, e) =>
        {
            var now = Stopwatch.GetTimestamp();
            lock (original)
            {
                if (Volatile.Read(ref faultAt) != 0 && !original.Contains(e.Connection.Id) && e.Connection.RemotePeer.Equals(b.PeerId))
                {
                    replacedAt.TrySetResult(now);
                }
            }
        };

        var faulty = await a.DialAsync(proxy.ListenAddress.Encapsulate("/p2p/" + b.PeerId), ct);
        var direct = b.ListenAddresses[0].Encapsulate("/p2p/" + b.PeerId);
        var second = await a.DialAsync(direct, ct);
        var third = await a.DialAsync(direct, ct);
        faultyId = faulty.Id;
        lock (original)
        {
            original.UnionWith([faulty.Id, second.Id, third.Id]);
        }

        while (!original.All(id => status.TryGetValue(id, out var s) && s == HealthStatus.Healthy))
        {
            await Task.Delay(20, ct);
        }

        await Task.Delay(settle + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * monitoring.HealthCheckInterval.TotalMilliseconds), ct);
        var link = proxy.Connections.Single();
        Volatile.Write(ref faultAt, Stopwatch.GetTimestamp());
        link.Faults = new FaultProfile { BlackHole = true };
        var (deadTimestamp, reason) = await deadAt.Task.WaitAsync(ct);
        var replacedTimestamp = await replacedAt.Task.WaitAsync(ct);
        return (Stopwatch.GetElapsedTime(faultAt, deadTimestamp).TotalMilliseconds,
            Stopwatch.GetElapsedTime(faultAt, replacedTimestamp).TotalMilliseconds, reason);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
