using Microsoft.Extensions.Options;
using Resilink.Connections;
using Resilink.Health;
using Resilink.Resilience;
using Resilink.Net.Identity;
using Resilink.Net.Muxing.Yamux;

namespace Resilink.Net.Host;

/// <summary>Settings for a <see cref="Libp2pHost"/>. Every property has a working default.</summary>
public sealed class Libp2pHostOptions
{
    /// <summary>The host's identity. Default: a new random Ed25519 key pair.</summary>
    public KeyPair? Identity { get; set; }

    /// <summary>Announced in identify. Default: <c>resilink/&lt;version&gt;</c>.</summary>
    public string AgentVersion { get; set; } = Libp2pHostConstants.DefaultAgentVersion;

    /// <summary>Announced in identify. Default: <c>ipfs/0.1.0</c>, what js-libp2p and go-libp2p announce.</summary>
    public string ProtocolVersion { get; set; } = "ipfs/0.1.0";

    /// <summary>
    /// Connections per peer, the dial timeout (<see cref="ConnectionOptions.ConnectionTimeout"/>: TCP connect plus the
    /// Noise and Yamux upgrade, 30 s), how streams are spread over a peer's connections, and the retry of failed dials.
    /// </summary>
    public ConnectionOptions Connections { get; set; } = new();

    /// <summary>
    /// Health monitoring of every connection: pings, scores, status levels, and replacement of sick connections.
    /// Off by default (<see cref="HealthOptions.EnableHealthMonitoring"/>); a host without it behaves exactly as before.
    /// </summary>
    public HealthOptions Health { get; set; } = new();

    /// <summary>
    /// A circuit breaker per peer around every dial to it (<see cref="Libp2pHost.DialAsync"/> to a <c>/p2p</c> address,
    /// <see cref="Libp2pHost.DialPeerAsync"/>, the dial behind <see cref="Libp2pHost.NewStreamAsync(PeerId, IReadOnlyList{string}, CancellationToken)"/>,
    /// background and replacement dials): after repeated failed dials the peer is not dialed for a while and callers get
    /// <see cref="CircuitOpenException"/> at once. Off by default (<see cref="CircuitBreakerOptions.Enabled"/>): with it on,
    /// a dial to a peer that keeps failing fails fast instead of being tried, which existing callers may not expect.
    /// </summary>
    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>
    /// How a peer marked with <see cref="Libp2pHost.KeepAlive"/> is re-dialed once its last connection drops: attempts,
    /// backoff between them and the time each may take (defaults: 10 attempts, 100 ms doubling to at most 60 s, ± 10 %
    /// jitter, 30 s per attempt). Unmarked peers are never re-dialed.
    /// </summary>
    public ReconnectOptions Reconnect { get; set; } = new();

    /// <summary>
    /// How often the bytes of every connection are reported to the host's <c>IConnectionMonitor</c> (only when one is
    /// given; a closing connection reports its last bytes at once). Default: 5 s.
    /// </summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Limit for an inbound connection to finish its Noise and Yamux upgrade. Shorter than the dial timeout
    /// because a peer that connects and stays silent holds one of <see cref="MaxConcurrentInboundUpgrades"/>. Default: 10 s.
    /// </summary>
    public TimeSpan InboundHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Inbound connections (established plus upgrading) beyond which new ones are closed as soon as they are accepted.
    /// Default: 1024.
    /// </summary>
    public int MaxInboundConnections { get; set; } = 1024;

    /// <summary>Limit for negotiating the protocol of one stream. Default: 10 s.</summary>
    public TimeSpan StreamNegotiationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Inbound connections being upgraded at once; more wait in the accept queue. Default: 64.</summary>
    public int MaxConcurrentInboundUpgrades { get; set; } = 64;

    /// <summary>Serve <c>/echo/1.0.0</c>. Default: true.</summary>
    public bool EnableEcho { get; set; } = true;

    /// <summary>Run identify on every new connection. Default: true.</summary>
    public bool IdentifyOnConnect { get; set; } = true;

    /// <summary>Stream multiplexer settings (windows, stream limits).</summary>
    public YamuxOptions Yamux { get; set; } = new();

    /// <summary>Checks every setting and throws one exception naming each bad one.</summary>
    /// <exception cref="ArgumentException">At least one setting is out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        CollectNested(errors, nameof(Connections), Connections, static c => c.Validate());
        CollectNested(errors, nameof(Health), Health, static h => h.Validate());
        CollectNested(errors, nameof(CircuitBreaker), CircuitBreaker, static c => c.Validate());
        CollectNested(errors, nameof(Reconnect), Reconnect, static r => r.Validate());
        if (MetricsInterval <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(MetricsInterval)} must be positive (was {MetricsInterval}).");
        }
        if (InboundHandshakeTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(InboundHandshakeTimeout)} must be positive (was {InboundHandshakeTimeout}).");
        }
        if (MaxInboundConnections < 1)
        {
            errors.Add($"{nameof(MaxInboundConnections)} must be at least 1 (was {MaxInboundConnections}).");
        }
        if (StreamNegotiationTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(StreamNegotiationTimeout)} must be positive (was {StreamNegotiationTimeout}).");
        }
        if (MaxConcurrentInboundUpgrades < 1)
        {
            errors.Add($"{nameof(MaxConcurrentInboundUpgrades)} must be at least 1 (was {MaxConcurrentInboundUpgrades}).");
        }
        if (string.IsNullOrWhiteSpace(AgentVersion))
        {
            errors.Add($"{nameof(AgentVersion)} must not be empty.");
        }
        if (string.IsNullOrWhiteSpace(ProtocolVersion))
        {
            errors.Add($"{nameof(ProtocolVersion)} must not be empty.");
        }
        if (Yamux is null)
        {
            errors.Add($"{nameof(Yamux)} must not be null.");
        }
        else
        {
            try
            {
                Yamux.Validate();
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{nameof(Yamux)}: {ex.Message}");
            }
        }
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Libp2pHostOptions: " + string.Join(" ", errors));
        }
    }

    /// <summary>Validates a nested options object, prefixing each of its failures with <paramref name="name"/>.</summary>
    private static void CollectNested<T>(List<string> errors, string name, T? options, Action<T> validate)
        where T : class
    {
        if (options is null)
        {
            errors.Add($"{name} must not be null.");
            return;
        }

        try
        {
            validate(options);
        }
        catch (OptionsValidationException ex)
        {
            errors.AddRange(ex.Failures.Select(f => $"{name}.{f}"));
        }
    }
}
