namespace Resilink.Health;

/// <summary>A connection's health score and its three parts, each 0..1 (see <see cref="HealthOptions"/> for the formula).</summary>
/// <param name="Score">The weighted mean of the parts.</param>
/// <param name="Latency">The latency part: 1 − min(1, RTT EWMA / <see cref="HealthOptions.MaxPingLatency"/>).</param>
/// <param name="Success">The ping success part: the success rate.</param>
/// <param name="Stability">The stability part: 1 − min(1, recent failures / <see cref="HealthOptions.MaxFailedStreams"/>).</param>
public readonly record struct HealthScore(double Score, double Latency, double Success, double Stability);
