using System.Globalization;

namespace Resilink.Cli.Demo;

/// <summary>What one step of a <see cref="FaultSchedule"/> does to its connection.</summary>
internal enum FaultKind
{
    /// <summary>+200 ms round trip (100 ms each way through the proxy): the connection should turn Degraded.</summary>
    Latency,

    /// <summary>Nothing gets through any more, both sockets stay open: the connection should turn Dead and be replaced.</summary>
    BlackHole,

    /// <summary>TCP reset on both sides: the connection closes at once and should be replaced.</summary>
    Reset,

    /// <summary>The latency fault is removed: the connection should turn Healthy again.</summary>
    Recovery,
}

/// <summary>One scheduled fault: when (from the start of the load), what, and on which of the initial connections.</summary>
/// <param name="At">Time after the load started.</param>
/// <param name="Kind">The fault.</param>
/// <param name="Link">Index into the swarm's initial connections (in <see cref="DemoLinkName"/> order).</param>
internal sealed record FaultStep(TimeSpan At, FaultKind Kind, int Link);

/// <summary>
/// The scripted faults of <c>resilink demo</c>: one connection gets +200 ms, a second is black-holed, a third is reset,
/// and later the first recovers. The connections and the exact times come from a seeded <see cref="Random"/>, so the same
/// seed, peer count and duration always give the same schedule (printed at start and in the JSON summary). Times are
/// fractions of the run so a short run still sees every fault and has time left to detect it: latency at 10–20 %,
/// black hole at 25–35 %, reset at 40–50 %, recovery at 55–65 % of the duration.
/// </summary>
internal static class FaultSchedule
{
    /// <summary>Connections each pair of hosts opens (the demo's <c>MaxConnectionsPerPeer</c>).</summary>
    public const int ConnectionsPerPair = 3;

    private static readonly (FaultKind Kind, double From, double To)[] Windows =
    [
        (FaultKind.Latency, 0.10, 0.20),
        (FaultKind.BlackHole, 0.25, 0.35),
        (FaultKind.Reset, 0.40, 0.50),
    ];

    private const double RecoveryFrom = 0.55;
    private const double RecoveryTo = 0.65;

    /// <summary>Builds the schedule for <paramref name="peers"/> hosts (every pair connected <see cref="ConnectionsPerPair"/> times).</summary>
    /// <param name="seed">The seed; the same seed gives the same schedule.</param>
    /// <param name="peers">Hosts in the swarm, at least 2.</param>
    /// <param name="duration">How long the load runs.</param>
    /// <returns>The steps in time order.</returns>
    public static IReadOnlyList<FaultStep> Create(int seed, int peers, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(peers, 2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var random = new Random(seed);
        var pairs = peers * (peers - 1) / 2;

        // Faults on different pairs when there are enough, so each pair keeps at least two good connections;
        // with fewer pairs, different connections of the same pair.
        var links = new List<int>();
        var pairOrder = Enumerable.Range(0, pairs).OrderBy(_ => random.Next()).ToList();
        var slotOrders = new Dictionary<int, int[]>();
        for (var k = 0; links.Count < Windows.Length; k++)
        {
            var pair = pairOrder[k % pairs];
            if (!slotOrders.TryGetValue(pair, out var slots))
            {
                slotOrders[pair] = slots = [.. Enumerable.Range(0, ConnectionsPerPair).OrderBy(_ => random.Next())];
            }
            links.Add((pair * ConnectionsPerPair) + slots[k / pairs]);
        }

        var steps = new List<FaultStep>();
        for (var i = 0; i < Windows.Length; i++)
        {
            var (kind, from, to) = Windows[i];
            steps.Add(new FaultStep(At(duration, from, to, random), kind, links[i]));
        }
        steps.Add(new FaultStep(At(duration, RecoveryFrom, RecoveryTo, random), FaultKind.Recovery, links[0]));
        return steps;
    }

    /// <summary>One line per step, e.g. <c>+3.2s  blackhole   h0-h3#1</c>.</summary>
    public static IEnumerable<string> Describe(IReadOnlyList<FaultStep> steps, int peers) =>
        steps.Select(s => string.Create(
            CultureInfo.InvariantCulture, $"+{s.At.TotalSeconds:0.0}s  {KindName(s.Kind),-10}  {DemoLinkName.Of(s.Link, peers)}{(s.Kind == FaultKind.Latency ? "  (+200 ms round trip)" : "")}"));

    /// <summary>The kind as the summary and the event line write it.</summary>
    public static string KindName(FaultKind kind) => kind switch
    {
        FaultKind.Latency => "latency",
        FaultKind.BlackHole => "blackhole",
        FaultKind.Reset => "reset",
        FaultKind.Recovery => "recovery",
        _ => kind.ToString(),
    };

    // Rounded to 100 ms so the printed schedule is exactly what runs.
    private static TimeSpan At(TimeSpan duration, double from, double to, Random random) =>
        TimeSpan.FromMilliseconds(Math.Round(duration.TotalMilliseconds * (from + ((to - from) * random.NextDouble())) / 100) * 100);
}
