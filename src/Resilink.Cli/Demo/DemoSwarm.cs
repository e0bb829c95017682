using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Resilink.Health;
using Resilink.Net.Addressing;
using Resilink.Net.Chaos;
using Resilink.Net.Host;
using Resilink.Net.Swarm;

namespace Resilink.Cli.Demo;

/// <summary>One host of the swarm with the fault-injecting proxy in front of its listener.</summary>
internal sealed record DemoHost(int Index, Libp2pHost Host, FaultInjectingProxy Proxy)
{
    /// <summary>e.g. <c>h3</c>.</summary>
    public string Name => "h" + Index.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The demo's local swarm: <see cref="DemoSettings.Peers"/> hosts on 127.0.0.1, each behind a
/// <see cref="FaultInjectingProxy"/> (every host is dialed only through its proxy, so any connection can be faulted),
/// and every pair connected <see cref="FaultSchedule.ConnectionsPerPair"/> times, the lower index dialing. Maps each
/// libp2p connection, from either end, to its <see cref="DemoLink"/> (by the ports the proxy sees), including the
/// replacements the hosts dial by themselves, and raises <see cref="StatusChanged"/> and <see cref="LinkOpened"/> /
/// <see cref="LinkClosed"/> from the dialer's point of view.
/// </summary>
internal sealed class DemoSwarm : IAsyncDisposable
{
    private static readonly TimeSpan ListenerPatience = TimeSpan.FromSeconds(10);

    private readonly List<DemoHost> _hosts = [];
    private readonly ConcurrentDictionary<Libp2pConnection, DemoLink> _byConnection = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<(int Host, string Id), DemoLink> _byDialerId = new();
    private readonly ConcurrentDictionary<int, int> _replacementsPerPair = new();
    private readonly Dictionary<ProxiedConnection, Libp2pConnection> _pendingInbound = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _mapGate = new();
    private readonly DemoClock _clock;
    private DemoLink[] _initial = [];
    private int _started;

    private DemoSwarm(DemoSettings settings, DemoClock clock)
    {
        Settings = settings;
        _clock = clock;
    }

    /// <summary>A dialer-side health status change of a link.</summary>
    public event Action<DemoLink, HealthStatusChangedEventArgs>? StatusChanged;

    /// <summary>
    /// A replacement (a connection opened after <see cref="MarkStarted"/>) passed its first health check. Counted then,
    /// not when opened: a peer still at its connection limit closes a replacement at once, and the host dials again.
    /// </summary>
    public event Action<DemoLink>? LinkOpened;

    /// <summary>The dialer saw a link close.</summary>
    public event Action<DemoLink>? LinkClosed;

    /// <summary>The run's settings.</summary>
    public DemoSettings Settings { get; }

    /// <summary>The hosts, by index.</summary>
    public IReadOnlyList<DemoHost> Hosts => _hosts;

    /// <summary>The connections dialed at start, in <see cref="DemoLinkName"/> order (the schedule's link indexes).</summary>
    public IReadOnlyList<DemoLink> InitialLinks => _initial;

    /// <summary>Every link ever seen (initial and replacements).</summary>
    public IReadOnlyCollection<DemoLink> AllLinks => [.. _byDialerId.Values];

    /// <summary>Replacements opened since <see cref="MarkStarted"/>.</summary>
    public int Replacements => _replacementsPerPair.Values.Sum();

    /// <summary>Starts the hosts and proxies and dials every pair.</summary>
    /// <exception cref="IOException">A pair did not get all its connections.</exception>
    public static async Task<DemoSwarm> StartAsync(DemoSettings settings, DemoClock clock, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        var swarm = new DemoSwarm(settings, clock);
        try
        {
            for (var i = 0; i < settings.Peers; i++)
            {
                var host = new Libp2pHost(settings.HostOptions(i), logging);
                try
                {
                    await host.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], cancellationToken);
                    var proxy = await FaultInjectingProxy.StartAsync(
                        host.ListenAddresses[0], logger: logging.CreateLogger("Resilink.ChaosProxy"), ct: cancellationToken);
                    swarm._hosts.Add(new DemoHost(i, host, proxy));
                }
                catch
                {
                    await host.DisposeAsync();
                    throw;
                }
            }
            swarm.Subscribe();
            await swarm.DialPairsAsync(cancellationToken);
            return swarm;
        }
        catch
        {
            await swarm.DisposeAsync();
            throw;
        }
    }

    /// <summary>From now on a new outbound connection counts as a replacement.</summary>
    public void MarkStarted() => Volatile.Write(ref _started, 1);

    /// <summary>The link <paramref name="connection"/> (of either end) belongs to, or null if unknown.</summary>
    public DemoLink? Find(Libp2pConnection connection) => _byConnection.GetValueOrDefault(connection);

    /// <summary>The links between hosts <paramref name="a"/> and <paramref name="b"/> (either direction).</summary>
    public IEnumerable<DemoLink> LinksBetween(int a, int b) =>
        _byDialerId.Values.Where(l => (l.Dialer == a && l.Listener == b) || (l.Dialer == b && l.Listener == a));

    /// <summary>
    /// Disposes every proxy, then every host (each group in parallel: each host's close may wait on its peers). Proxies
    /// first: closing them resets every proxied connection, so a host's graceful close through a black-holed proxy ends
    /// at once instead of waiting out its close timeout. Every disposal runs even if another throws; the first failure
    /// is rethrown at the end.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var h in _hosts)
        {
            h.Host.HealthStatusChanged -= OnStatusChanged;
        }
        var failures = new List<Exception>();
        await DisposeAllAsync(_hosts.Select(h => (IAsyncDisposable)h.Proxy), failures);
        await DisposeAllAsync(_hosts.Select(h => (IAsyncDisposable)h.Host), failures);
        if (failures.Count > 0)
        {
            throw failures.Count == 1 ? failures[0] : new AggregateException(failures);
        }
    }

    private static async Task DisposeAllAsync(IEnumerable<IAsyncDisposable> items, List<Exception> failures)
    {
        var all = items.Select(async d =>
        {
            try
            {
                await d.DisposeAsync();
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        });
        failures.AddRange((await Task.WhenAll(all)).OfType<Exception>());
    }

    private void Subscribe()
    {
        foreach (var h in _hosts)
        {
            var index = h.Index;
            h.Host.ConnectionOpened += (_, e) => OnOpened(index, e.Connection);
            h.Host.ConnectionClosed += (_, e) => OnClosed(e.Connection);
            h.Host.HealthStatusChanged += OnStatusChanged;
        }
    }

    private async Task DialPairsAsync(CancellationToken cancellationToken)
    {
        var dials = new List<Task>();
        for (var i = 0; i < _hosts.Count; i++)
        {
            for (var j = i + 1; j < _hosts.Count; j++)
            {
                var target = _hosts[j].Proxy.ListenAddress.Encapsulate("/p2p/" + _hosts[j].Host.PeerId);
                dials.Add(_hosts[i].Host.DialPeerAsync(target, cancellationToken));
            }
        }
        await Task.WhenAll(dials);
        await WaitForListenersAsync(cancellationToken);

        // Name the initial connections: per pair, in the order the dialer numbered them.
        var initial = new List<DemoLink>();
        for (var i = 0; i < _hosts.Count; i++)
        {
            for (var j = i + 1; j < _hosts.Count; j++)
            {
                var links = _hosts[i].Host.GetConnections(_hosts[j].Host.PeerId)
                    .Select(c => _byConnection.GetValueOrDefault(c))
                    .OfType<DemoLink>()
                    .OrderBy(l => NumberOf(l.DialerSide.Id))
                    .ToList();
                if (links.Count != FaultSchedule.ConnectionsPerPair)
                {
                    throw new IOException($"h{i} got {links.Count} of {FaultSchedule.ConnectionsPerPair} connections to h{j}.");
                }
                for (var slot = 0; slot < links.Count; slot++)
                {
                    links[slot].Name = DemoLinkName.Of((DemoLinkName.PairIndex(i, j, _hosts.Count) * FaultSchedule.ConnectionsPerPair) + slot, _hosts.Count);
                }
                initial.AddRange(links);
            }
        }
        _initial = [.. initial];
    }

    /// <summary>
    /// Waits until every listener has registered its end of every connection: a dial completes on the dialer's side
    /// first, and a request from the listener before its end is registered would fail for want of a connection.
    /// </summary>
    private async Task WaitForListenersAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ListenerPatience);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (!AllListenersReady())
            {
                await poll.WaitForNextTickAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"The listeners did not register all their connections within {ListenerPatience.TotalSeconds:0} s.");
        }
    }

    private bool AllListenersReady()
    {
        for (var i = 0; i < _hosts.Count; i++)
        {
            for (var j = i + 1; j < _hosts.Count; j++)
            {
                if (_hosts[j].Host.GetConnections(_hosts[i].Host.PeerId).Count(c => !c.IsClosed) < FaultSchedule.ConnectionsPerPair)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private void OnOpened(int hostIndex, Libp2pConnection connection)
    {
        lock (_mapGate)
        {
            if (connection.Direction == ConnectionDirection.Outbound)
            {
                MapOutbound(hostIndex, connection);
            }
            else
            {
                MapInbound(hostIndex, connection);
            }
        }
    }

    private void MapOutbound(int hostIndex, Libp2pConnection connection)
    {
        var listener = IndexOf(connection.RemotePeer.ToString());
        var proxied = listener is { } l ? FindProxied(l, c => PortOf(c.ClientEndPoint) == PortOf(connection.LocalAddress)) : null;
        if (listener is null || proxied is null)
        {
            return; // not one of ours (cannot happen: hosts dial only each other's proxies)
        }
        var replacement = Volatile.Read(ref _started) != 0;
        var name = $"h{hostIndex}-h{listener}:{connection.Id}"; // renamed to #slot once the pair is up, or +n once a replacement
        var link = new DemoLink(name, hostIndex, listener.Value, proxied, connection, replacement);
        _byDialerId[(hostIndex, connection.Id)] = link;
        _byConnection[connection] = link;
        if (_pendingInbound.Remove(proxied, out var inbound))
        {
            _byConnection[inbound] = link;
        }
    }

    private void MapInbound(int hostIndex, Libp2pConnection connection)
    {
        // The listener's end: the proxy dialed it from the proxied connection's outbound endpoint.
        var proxied = FindProxied(hostIndex, c => PortOf(c.OutboundEndPoint) == PortOf(connection.RemoteAddress));
        if (proxied is null)
        {
            return;
        }
        if (_byDialerId.Values.FirstOrDefault(l => ReferenceEquals(l.Proxied, proxied)) is { } link)
        {
            _byConnection[connection] = link;
        }
        else
        {
            _pendingInbound[proxied] = connection; // the listener finished its handshake first; mapped with the dialer's end
        }
    }

    private void OnClosed(Libp2pConnection connection)
    {
        if (connection.Direction == ConnectionDirection.Outbound && _byConnection.TryGetValue(connection, out var link))
        {
            link.MarkClosed(_clock.Now);
            LinkClosed?.Invoke(link);
        }
    }

    private void OnStatusChanged(object? sender, HealthStatusChangedEventArgs change)
    {
        if (sender is Libp2pHost host && IndexOf(host.PeerId.ToString()) is { } index
            && _byDialerId.TryGetValue((index, change.ConnectionId), out var link))
        {
            // Counted at its first good verdict, whatever came before (Unknown→Unhealthy→Healthy is a replacement too).
            if (link.IsReplacement && change.Current is (HealthStatus.Healthy or HealthStatus.Degraded) && link.TryMarkUp())
            {
                var pair = DemoLinkName.PairIndex(link.Dialer, link.Listener, _hosts.Count);
                link.Name = string.Create(CultureInfo.InvariantCulture, $"h{link.Dialer}-h{link.Listener}+{_replacementsPerPair.AddOrUpdate(pair, 1, (_, n) => n + 1)}");
                LinkOpened?.Invoke(link);
            }
            StatusChanged?.Invoke(link, change);
        }
    }

    /// <summary>The name of the link a schedule step targets.</summary>
    public string NameOf(int link) => DemoLinkName.Of(link, _hosts.Count);

    private int? IndexOf(string peerId)
    {
        foreach (var h in _hosts)
        {
            if (h.Host.PeerId.ToString() == peerId)
            {
                return h.Index;
            }
        }
        return null;
    }

    private ProxiedConnection? FindProxied(int listener, Func<ProxiedConnection, bool> match) =>
        _hosts[listener].Proxy.Connections.FirstOrDefault(match);

    private static int? PortOf(System.Net.EndPoint? endPoint) => (endPoint as System.Net.IPEndPoint)?.Port;

    private static int? PortOf(Multiaddr address) => address.TryGetTcpEndPoint(out var e) ? PortOf(e) : null;

    private static int NumberOf(string connectionId) =>
        int.TryParse(connectionId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
}
