using Resilink.Net.Host;

namespace Resilink.Hosting;

/// <summary>A hosted Resilink node: the libp2p host's settings, where it listens and which peers it keeps connections to.</summary>
public sealed class ResilinkNodeOptions
{
    /// <summary>Multiaddrs to listen on. Default: <c>/ip4/127.0.0.1/tcp/0</c> (loopback, any free port).</summary>
    public IList<string> ListenAddresses { get; } = ["/ip4/127.0.0.1/tcp/0"];

    /// <summary>
    /// Peers (multiaddrs ending in <c>/p2p/&lt;id&gt;</c>) dialed at start with <c>DialPeerAsync</c>; a peer that cannot
    /// be reached is logged and retried every <see cref="PeerRetryInterval"/>, and never stops the node. Default: none.
    /// </summary>
    public IList<string> Peers { get; } = [];

    /// <summary>How often peers from <see cref="Peers"/> without a connection are dialed again. Default: 10 s.</summary>
    public TimeSpan PeerRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The libp2p host's settings (connections per peer, strategy, health monitoring, limits).</summary>
    public Libp2pHostOptions Host { get; set; } = new();

    /// <summary>A name for this node in alerts; its peer ID when null. Default: null.</summary>
    public string? NodeName { get; set; }

    /// <summary>Where the node keeps its identity key (<c>Identity:KeyFile</c>), so its peer ID survives a restart.</summary>
    public ResilinkIdentityOptions Identity { get; set; } = new();

    /// <summary>Alert sinks and the node's self-check.</summary>
    public ResilinkAlertingOptions Alerting { get; set; } = new();
}
