namespace Resilink.Health;

/// <summary>Bytes through one connection: totals and rates (bytes per second) over the rolling window.</summary>
/// <remarks>
/// Bytes are observed as totals at irregular times (each ping round, each snapshot); what moved between two
/// observations counts as having flowed evenly between them (see <see cref="BandwidthTracker"/>), so the rates do not
/// depend on how often anyone reads them. A "whole observed second" is a second of the connection's life (counted
/// from its opening) that ended before the latest observation.
/// </remarks>
/// <param name="BytesIn">Bytes received since the connection opened.</param>
/// <param name="BytesOut">Bytes sent since the connection opened.</param>
/// <param name="CurrentIn">
/// Receive rate over the latest whole observed second; until one exists in the window, the bytes observed in it
/// divided by the time observed (at least 1 s).
/// </param>
/// <param name="CurrentOut">Send rate, as <paramref name="CurrentIn"/>.</param>
/// <param name="AverageIn">
/// Bytes received in the window divided by the time the window covers up to the latest observation: never more
/// than the window, nor than the connection's age, and at least 1 s.
/// </param>
/// <param name="AverageOut">Send rate, as <paramref name="AverageIn"/>.</param>
/// <param name="PeakIn">
/// Highest receive rate of a whole observed second within the window (as <paramref name="CurrentIn"/> until one
/// exists). A burst between two observations is spread over the time between them.
/// </param>
/// <param name="PeakOut">Send rate, as <paramref name="PeakIn"/>.</param>
/// <param name="Window">The window length, <see cref="HealthOptions.BandwidthWindow"/>.</param>
public readonly record struct BandwidthStatistics(
    long BytesIn,
    long BytesOut,
    double CurrentIn,
    double CurrentOut,
    double AverageIn,
    double AverageOut,
    double PeakIn,
    double PeakOut,
    TimeSpan Window);
