using System.Diagnostics.Metrics;

namespace Resilink.Telemetry;

/// <summary>
/// The <see cref="ResilinkTelemetryConstants.MeterName"/> meter and its instruments (names in
/// <see cref="ResilinkMetricNames"/>). Created through an <see cref="IMeterFactory"/> when one is given (the factory
/// owns the meter), otherwise owns a meter of its own and disposes it. Usually fed by <see cref="MetricsConnectionMonitor"/>.
/// </summary>
public sealed class ResilinkInstruments : IDisposable
{
    private readonly bool _ownsMeter;

    /// <summary>Creates the meter and its instruments.</summary>
    /// <param name="meterFactory">
    /// The factory to create the meter with (from <c>services.AddMetrics()</c>), or null to own a new meter that
    /// <see cref="Dispose"/> disposes.
    /// </param>
    public ResilinkInstruments(IMeterFactory? meterFactory = null)
    {
        var options = new MeterOptions(ResilinkTelemetryConstants.MeterName) { Version = MeterVersion };
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(options) ?? new Meter(options);

        ConnectionAttempts = Meter.CreateCounter<long>(ResilinkMetricNames.ConnectionAttempts, "{attempt}", "Connection attempts (dials and accepts) that ended, by outcome and direction.");
        ConnectionStateTransitions = Meter.CreateCounter<long>(ResilinkMetricNames.ConnectionStateTransitions, "{transition}", "Connection state changes, by the states before and after.");
        ConnectionsActive = Meter.CreateUpDownCounter<long>(ResilinkMetricNames.ConnectionsActive, "{connection}", "Connections now connecting, connected or disconnecting.");
        ConnectionDuration = Meter.CreateHistogram(ResilinkMetricNames.ConnectionDuration, "s", "How long connections stayed connected.", tags: null, Advice(HistogramBuckets.ConnectionDurationSeconds));
        ConnectionRtt = Meter.CreateHistogram(ResilinkMetricNames.ConnectionRtt, "s", "Round-trip times measured on connections.", tags: null, Advice(HistogramBuckets.LatencySeconds));
        ConnectionBytes = Meter.CreateCounter<long>(ResilinkMetricNames.ConnectionBytes, "By", "Bytes received and sent on connections.");
        ConnectionErrors = Meter.CreateCounter<long>(ResilinkMetricNames.ConnectionErrors, "{error}", "Errors, by type.");
        Streams = Meter.CreateCounter<long>(ResilinkMetricNames.Streams, "{stream}", "Streams opened, failed to open, or reset.");
        CircuitBreakerState = Meter.CreateUpDownCounter<long>(ResilinkMetricNames.CircuitBreakerState, "{breaker}", "Circuit breakers in each state.");
        PeersConnected = Meter.CreateUpDownCounter<long>(ResilinkMetricNames.PeersConnected, "{peer}", "Peers with at least one live connection.");
        PeersDiscovered = Meter.CreateCounter<long>(ResilinkMetricNames.PeersDiscovered, "{peer}", "Peers discovered, by how they were learned.");
        PeersLost = Meter.CreateCounter<long>(ResilinkMetricNames.PeersLost, "{peer}", "Peers whose last live connection went away.");
        Messages = Meter.CreateCounter<long>(ResilinkMetricNames.Messages, "{message}", "Application messages received and sent, by type.");
        MessageSize = Meter.CreateHistogram(ResilinkMetricNames.MessageSize, "By", "Application message sizes, by type.", tags: null, Advice(HistogramBuckets.MessageSizeBytes));
        MessageLatency = Meter.CreateHistogram(ResilinkMetricNames.MessageLatency, "s", "Application message latencies, by type.", tags: null, Advice(HistogramBuckets.LatencySeconds));
        MessagesBuffered = Meter.CreateUpDownCounter<long>(ResilinkMetricNames.MessagesBuffered, "{message}", "Messages waiting for a usable connection.");
        PoolUtilization = Meter.CreateGauge<double>(ResilinkMetricNames.PoolUtilization, "1", "Share of each pool's capacity lent out, from 0 to 1.");
        PoolWaiters = Meter.CreateGauge<int>(ResilinkMetricNames.PoolWaiters, "{waiter}", "Acquirers waiting for a lease, per pool.");
        ConnectionHealthTransitions = Meter.CreateCounter<long>(ResilinkMetricNames.ConnectionHealthTransitions, "{transition}", "Connection health status changes, by the status after.");
        ReconnectAttempts = Meter.CreateCounter<long>(ResilinkMetricNames.ReconnectAttempts, "{attempt}", "Re-dial attempts of lost connections that ended, by outcome.");
        Reconnections = Meter.CreateCounter<long>(ResilinkMetricNames.Reconnections, "{reconnection}", "Reconnections that ended: connected again or given up.");
        ConnectionReplacements = Meter.CreateCounter<long>(ResilinkMetricNames.ConnectionReplacements, "{replacement}", "Replacements started for sick connections, by reason.");
        FailoverTransitions = Meter.CreateCounter<long>(ResilinkMetricNames.FailoverTransitions, "{transition}", "Failover state changes, by the states before and after.");
        CircuitBreakerTrips = Meter.CreateCounter<long>(ResilinkMetricNames.CircuitBreakerTrips, "{trip}", "Circuit breakers that tripped (entered the open state).");
    }

    /// <summary>Gets the version every Resilink meter carries: this assembly's version (major.minor.patch).</summary>
    public static string MeterVersion { get; } = typeof(ResilinkInstruments).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Gets the meter the instruments belong to.</summary>
    public Meter Meter { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.ConnectionAttempts"/>.</summary>
    public Counter<long> ConnectionAttempts { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.ConnectionStateTransitions"/>.</summary>
    public Counter<long> ConnectionStateTransitions { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.ConnectionsActive"/>.</summary>
    public UpDownCounter<long> ConnectionsActive { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.ConnectionDuration"/>.</summary>
    public Histogram<double> ConnectionDuration { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.ConnectionRtt"/>.</summary>
    public Histogram<double> ConnectionRtt { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.ConnectionBytes"/>.</summary>
    public Counter<long> ConnectionBytes { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.ConnectionErrors"/>.</summary>
    public Counter<long> ConnectionErrors { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.Streams"/>.</summary>
    public Counter<long> Streams { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.CircuitBreakerState"/>.</summary>
    public UpDownCounter<long> CircuitBreakerState { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.PeersConnected"/>.</summary>
    public UpDownCounter<long> PeersConnected { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.PeersDiscovered"/>.</summary>
    public Counter<long> PeersDiscovered { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.PeersLost"/>.</summary>
    public Counter<long> PeersLost { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.Messages"/>.</summary>
    public Counter<long> Messages { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.MessageSize"/>.</summary>
    public Histogram<long> MessageSize { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.MessageLatency"/>.</summary>
    public Histogram<double> MessageLatency { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.MessagesBuffered"/>.</summary>
    public UpDownCounter<long> MessagesBuffered { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.PoolUtilization"/>.</summary>
    public Gauge<double> PoolUtilization { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.PoolWaiters"/>.</summary>
    public Gauge<int> PoolWaiters { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.ConnectionHealthTransitions"/>.</summary>
    public Counter<long> ConnectionHealthTransitions { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.ReconnectAttempts"/>.</summary>
    public Counter<long> ReconnectAttempts { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.Reconnections"/>.</summary>
    public Counter<long> Reconnections { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.ConnectionReplacements"/>.</summary>
    public Counter<long> ConnectionReplacements { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.FailoverTransitions"/>.</summary>
    public Counter<long> FailoverTransitions { get; }

    /// <summary>Gets <see cref="ResilinkMetricNames.CircuitBreakerTrips"/>.</summary>
    public Counter<long> CircuitBreakerTrips { get; }

    /// <summary>Disposes the meter if this object created it; a factory's meter is left to the factory.</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private static InstrumentAdvice<T> Advice<T>(T[] buckets)
        where T : struct => new() { HistogramBucketBoundaries = buckets };
}
