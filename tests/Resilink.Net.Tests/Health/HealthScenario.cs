using Resilink.Balancing;
using Resilink.Health;
using Resilink.Monitoring;
using Resilink.Net.Chaos;
using Resilink.Net.Host;
using Resilink.Net.Swarm;
using Resilink.Net.Tests.Host;
using Resilink.Tests.Shared;

namespace Resilink.Net.Tests.Health;

/// <summary>
/// Host a (health monitoring on, short intervals) with three connections to host b: the first through a
/// fault-injecting proxy (<see cref="Faulty"/>), two direct. Records every health status change of a.
/// </summary>
internal sealed class HealthScenario : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    /// <summary>The ping timeout when detecting a black hole quickly is the point.</summary>
    public static readonly TimeSpan FastPingTimeout = TimeSpan.FromMilliseconds(1500);

    /// <summary>
    /// The ping timeout otherwise: on a loaded machine a ping over a +300 ms link can take longer than
    /// <see cref="FastPingTimeout"/>, and a failed ping after so long a silence is Dead by phi, not Degraded.
    /// </summary>
    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    private readonly HostFixtures _fixtures = new();
    private readonly CapturingLoggerFactory _logA = new();
    private readonly CapturingLoggerFactory _logB = new();
    private HealthChangeRecorder _changes = null!;

    private HealthScenario()
    {
    }

    public Libp2pHost A { get; private set; } = null!;

    public Libp2pHost B { get; private set; } = null!;

    /// <summary>What host a reported (replacements among it).</summary>
    public RecordingConnectionMonitor MonitorA { get; } = new();

    public FaultInjectingProxy Proxy { get; private set; } = null!;

    /// <summary>a's connection through the proxy.</summary>
    public Libp2pConnection Faulty { get; private set; } = null!;

    /// <summary>The proxy's side of <see cref="Faulty"/>, where faults are set.</summary>
    public ProxiedConnection FaultyLink => Proxy.Connections[0];

    public CancellationToken Token => _fixtures.Token;

    /// <param name="strategy">a's load-balancing strategy.</param>
    /// <param name="monitorBothSides">
    /// b monitors health too, as a Resilink peer would. A black hole swallows a's close as well, so only b's own pings
    /// tell b that the connection is gone; until b drops it, b is at its connection limit and turns a's replacement away.
    /// </param>
    /// <param name="pingTimeout">The health ping timeout; <see cref="PingTimeout"/> when null.</param>
    public static async Task<HealthScenario> StartAsync(
        LoadBalancingStrategyKind strategy = LoadBalancingStrategyKind.RoundRobin,
        bool monitorBothSides = false,
        TimeSpan? pingTimeout = null)
    {
        var scenario = new HealthScenario();
        var health = new HealthOptions
        {
            EnableHealthMonitoring = true,
            HealthCheckInterval = Interval,
            PingTimeout = pingTimeout ?? PingTimeout,
            MaxPingLatency = TimeSpan.FromMilliseconds(250), // +300 ms (150 each way) breaks it
            FailureThreshold = 2,
            RecoveryThreshold = 2,
            DrainTimeout = TimeSpan.FromSeconds(1),
        };
        scenario.A = await scenario._fixtures.StartHostAsync(new Libp2pHostOptions
        {
            Health = health,
            Connections = { LoadBalancingStrategy = strategy },
            IdentifyOnConnect = false, // known addresses: exactly the ones dialed, the proxy first
            StreamNegotiationTimeout = TimeSpan.FromSeconds(1), // a stream stuck on a faulty connection falls through to the next
        }, scenario.MonitorA, scenario._logA);
        scenario.B = await scenario._fixtures.StartHostAsync(new Libp2pHostOptions
        {
            Health = monitorBothSides ? health : new HealthOptions(),
            IdentifyOnConnect = false,
        }, loggerFactory: scenario._logB);
        scenario._changes = new HealthChangeRecorder(scenario.A, scenario.DescribeConnectionsAndLogs);
        scenario.Proxy = await FaultInjectingProxy.StartAsync(scenario.B.ListenAddresses[0], ct: scenario.Token);
        scenario.Faulty = await scenario.A.DialAsync(scenario.Proxy.ListenAddress.Encapsulate("/p2p/" + scenario.B.PeerId), scenario.Token);
        await scenario.A.DialAsync(HostFixtures.AddressOf(scenario.B), scenario.Token);
        await scenario.A.DialAsync(HostFixtures.AddressOf(scenario.B), scenario.Token);
        foreach (var connection in scenario.A.GetConnections(scenario.B.PeerId))
        {
            await scenario.WaitForStatusAsync(connection.Id, HealthStatus.Healthy); // faults hit monitored connections
        }

        return scenario;
    }

    /// <summary>
    /// Waits for <paramref name="connectionId"/> to change to <paramref name="status"/> (a change already seen counts),
    /// optionally only a change that also matches <paramref name="where"/>; returns the change.
    /// </summary>
    public Task<HealthStatusChangedEventArgs> WaitForStatusAsync(
        string connectionId, HealthStatus status, Func<HealthStatusChangedEventArgs, bool>? where = null) =>
        _changes.WaitForStatusAsync(connectionId, status, Token, where);

    /// <summary>Waits until a has <paramref name="count"/> live, routable connections to b, none of them <paramref name="excluded"/>.</summary>
    public async Task<IReadOnlyList<Libp2pConnection>> WaitForRoutableConnectionsAsync(int count, Libp2pConnection excluded)
    {
        List<Libp2pConnection> routable = [];
        await Poll.UntilAsync(
            () =>
            {
                routable = A.GetConnections(B.PeerId)
                    .Where(c => !ReferenceEquals(c, excluded) && !c.IsClosed && A.HealthMonitor!.IsRoutable(c))
                    .ToList();
                return routable.Count >= count;
            },
            Interval / 4,
            () => $"still {routable.Count} routable of {count}. {Describe()}",
            Token);
        return routable;
    }

    /// <summary>Every connection of a to b and every status change seen, for failure messages.</summary>
    public string Describe() => _changes.Describe();

    private string DescribeConnectionsAndLogs() =>
        $"{DescribeConnections()}{Environment.NewLine}a's log:{Environment.NewLine}{_logA.Describe()}" +
        $"{Environment.NewLine}b's log:{Environment.NewLine}{_logB.Describe()}{Environment.NewLine}";

    private string DescribeConnections() =>
        "Connections: " + string.Join(", ", A.GetConnections(B.PeerId).Select(c =>
            $"{c.Id} closed={c.IsClosed} routable={A.HealthMonitor!.IsRoutable(c)} status={A.HealthMonitor.Find(c)?.Status}"));

    public async ValueTask DisposeAsync()
    {
        await _fixtures.DisposeAsync();
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }
    }
}
