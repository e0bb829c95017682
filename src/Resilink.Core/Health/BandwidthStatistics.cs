namespace Resilink.Health;

/// <summary>Bytes through one connection: totals and rates (bytes per second) over the rolling window.</summary>
/// <param name="BytesIn">Bytes received since the connection opened.</param>
/// <param name="BytesOut">Bytes sent since the connection opened.</param>
/// <param name="CurrentIn">Receive rate over the latest second.</param>
/// <param name="CurrentOut">Send rate over the latest second.</param>
/// <param name="AverageIn">Receive rate averaged over the window (or the connection's age, if shorter).</param>
/// <param name="AverageOut">Send rate averaged over the window (or the connection's age, if shorter).</param>
/// <param name="PeakIn">Highest one-second receive rate within the window.</param>
/// <param name="PeakOut">Highest one-second send rate within the window.</param>
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
