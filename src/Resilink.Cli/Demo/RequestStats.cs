using Resilink.Balancing;

namespace Resilink.Cli.Demo;

/// <summary>
/// The outcome of every request of the demo's load, per strategy of the sending host: latencies of the successful ones
/// (in a <see cref="LatencyHistogram"/>: fixed memory however long the run, percentiles within 1 %), and failures split
/// by where they happened — on a connection that carried a fault at some time during the request
/// (allowed: that is what the faults are for), or on a healthy one (a bug, or a machine too loaded for the timeouts).
/// Thread-safe.
/// </summary>
internal sealed class RequestStats
{
    private const int KeptFailureMessages = 5;

    private readonly Lock _gate = new();
    private readonly Dictionary<LoadBalancingStrategyKind, LatencyHistogram> _latencies = [];
    private readonly Dictionary<LoadBalancingStrategyKind, (int Requests, int FailedHealthy, int FailedFaulted)> _counts = [];
    private readonly List<string> _healthyFailures = [];

    /// <summary>Records a request that got its echo back.</summary>
    public void Succeeded(LoadBalancingStrategyKind strategy, TimeSpan latency)
    {
        lock (_gate)
        {
            if (!_latencies.TryGetValue(strategy, out var histogram))
            {
                _latencies[strategy] = histogram = new LatencyHistogram();
            }
            histogram.Add(latency.TotalMilliseconds);
            var c = _counts.GetValueOrDefault(strategy);
            _counts[strategy] = (c.Requests + 1, c.FailedHealthy, c.FailedFaulted);
        }
    }

    /// <summary>Records a failed request; the first few failures on healthy connections keep their message.</summary>
    public void Failed(LoadBalancingStrategyKind strategy, bool onFaultedConnection, string message)
    {
        lock (_gate)
        {
            var c = _counts.GetValueOrDefault(strategy);
            _counts[strategy] = onFaultedConnection
                ? (c.Requests + 1, c.FailedHealthy, c.FailedFaulted + 1)
                : (c.Requests + 1, c.FailedHealthy + 1, c.FailedFaulted);
            if (!onFaultedConnection && _healthyFailures.Count < KeptFailureMessages)
            {
                _healthyFailures.Add(message);
            }
        }
    }

    /// <summary>A consistent copy of everything so far, with the p50 and p99 of the successful requests.</summary>
    public RequestTotals Snapshot() => Copy(percentiles: true);

    /// <summary>The counts only (no percentiles, which are null): cheap enough for the live view every second.</summary>
    public RequestTotals Counts() => Copy(percentiles: false);

    private RequestTotals Copy(bool percentiles)
    {
        lock (_gate)
        {
            var strategies = _counts
                .OrderBy(kv => kv.Key)
                .Select(kv =>
                {
                    var latencies = percentiles ? _latencies.GetValueOrDefault(kv.Key) : null;
                    return new StrategyTotals(
                        kv.Key, kv.Value.Requests, kv.Value.FailedHealthy, kv.Value.FailedFaulted,
                        latencies?.Percentile(50), latencies?.Percentile(99));
                })
                .ToList();
            return new RequestTotals(strategies, [.. _healthyFailures]);
        }
    }
}

/// <summary>
/// Requests of the hosts using one strategy. <see cref="P50Ms"/> and <see cref="P99Ms"/> are of the successful requests
/// only (a failed request has no echo to time; failures are in <see cref="Failed"/>).
/// </summary>
internal sealed record StrategyTotals(
    LoadBalancingStrategyKind Strategy, int Requests, int FailedOnHealthy, int FailedOnFaulted, double? P50Ms, double? P99Ms)
{
    /// <summary>Failed requests of either kind.</summary>
    public int Failed => FailedOnHealthy + FailedOnFaulted;
}

/// <summary>Every strategy's requests, and the first messages of failures on healthy connections.</summary>
internal sealed record RequestTotals(IReadOnlyList<StrategyTotals> Strategies, IReadOnlyList<string> HealthyFailureMessages)
{
    /// <summary>All requests.</summary>
    public int Requests => Strategies.Sum(s => s.Requests);

    /// <summary>All failed requests.</summary>
    public int Failed => Strategies.Sum(s => s.Failed);

    /// <summary>Failed requests on connections that carried no fault.</summary>
    public int FailedOnHealthy => Strategies.Sum(s => s.FailedOnHealthy);

    /// <summary>Failed requests on faulted connections.</summary>
    public int FailedOnFaulted => Strategies.Sum(s => s.FailedOnFaulted);
}
