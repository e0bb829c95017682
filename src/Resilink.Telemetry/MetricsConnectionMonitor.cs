using System.Diagnostics;
using Resilink.Monitoring;
using Resilink.Telemetry.Internal;

namespace Resilink.Telemetry;

/// <summary>
/// An <see cref="IConnectionMonitor"/> that records every report into <see cref="ResilinkInstruments"/>: counters for
/// attempts, transitions, bytes, errors, streams, peers, messages, re-dials, replacements, failovers and breaker trips;
/// up-down counters for connections by state,
/// circuit breakers by state, connected peers and buffered messages; histograms for connection durations, round trips
/// and message sizes and latencies; a gauge for pool utilization.
/// </summary>
/// <remarks>
/// Thread-safe, allocation-free per report (tags go in a <see cref="TagList"/>), and never throws. Memory is bounded by
/// <see cref="ResilinkTelemetryOptions"/>: free-form tag values are capped, and the connect times (for durations) and
/// circuit breaker states it remembers are bounded maps that forget the oldest entry when full.
/// </remarks>
public sealed partial class MetricsConnectionMonitor : IConnectionMonitor
{
    private readonly ResilinkInstruments _instruments;
    private readonly TimeProvider _timeProvider;
    private readonly BoundedTagValues _errorTypes;
    private readonly BoundedTagValues _messageTypes;
    private readonly BoundedTagValues _pools;
    private readonly BoundedTagValues _discoverySources;
    private readonly BoundedTagValues? _peers;
    private readonly BoundedLruMap<long> _connectedSince;
    private readonly BoundedLruMap<CircuitState> _breakers;

    /// <summary>Creates a monitor that records into <paramref name="instruments"/> (which it does not dispose).</summary>
    /// <param name="instruments">The instruments to record into.</param>
    /// <param name="options">Bounds and per-peer series; null for the defaults. Read once, here.</param>
    /// <param name="timeProvider">The clock for connection durations; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> are invalid.</exception>
    public MetricsConnectionMonitor(ResilinkInstruments instruments, ResilinkTelemetryOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        options ??= new ResilinkTelemetryOptions();
        options.Validate();

        _instruments = instruments;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _errorTypes = new BoundedTagValues(options.MaxTagValues);
        _messageTypes = new BoundedTagValues(options.MaxTagValues);
        _pools = new BoundedTagValues(options.MaxTagValues);
        _discoverySources = new BoundedTagValues(options.MaxTagValues);
        _peers = options.PerPeerMetrics ? new BoundedTagValues(options.MaxPeers) : null;
        _connectedSince = new BoundedLruMap<long>(options.MaxTrackedConnections);
        _breakers = new BoundedLruMap<CircuitState>(options.MaxTrackedCircuitBreakers);
    }

    /// <summary>Gets how many connections' connect times are remembered (for tests: the bound holds).</summary>
    internal int TrackedConnections => _connectedSince.Count;

    /// <summary>Gets how many circuit breakers' states are remembered.</summary>
    internal int TrackedCircuitBreakers => _breakers.Count;

    // With per-peer metrics on, the per-connection counters carry a bounded peer tag.
    private void AddPeerTag(ref TagList tags, string? peerKey)
    {
        if (_peers is not null)
        {
            tags.Add(ResilinkTagNames.Peer, _peers.Get(peerKey));
        }
    }

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);
}
