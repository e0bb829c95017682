using BenchmarkDotNet.Attributes;
using Resilink.Balancing;
using Resilink.Health;

namespace Resilink.Benchmarks;

/// <summary>
/// The cost of one <see cref="ILoadBalancingStrategy.Select"/> per strategy and candidate count, over realistic
/// candidates: every connection measured (different latencies), a few streams outstanding, one with a failure.
/// </summary>
[MemoryDiagnoser]
public class StrategySelectBenchmarks
{
    private IHealthTracked[] _candidates = [];
    private ILoadBalancingStrategy _strategy = null!;

    /// <summary>Gets or sets the strategy under test.</summary>
    [ParamsAllValues]
    public LoadBalancingStrategyKind Strategy { get; set; }

    /// <summary>Gets or sets the number of candidate connections.</summary>
    [Params(2, 8, 64)]
    public int Candidates { get; set; }

    /// <summary>Builds the candidates and the strategy.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _strategy = LoadBalancingStrategies.Create(Strategy);
        _candidates = new IHealthTracked[Candidates];
        for (int i = 0; i < Candidates; i++)
        {
            var connection = new BenchConnection("c" + i) { ActiveStreams = i % 3 };
            connection.Stats.RecordPing(TimeSpan.FromMilliseconds(5 + (i * 7 % 13)));
            connection.Stats.HealthScore = 0.5 + ((i % 5) * 0.1);
            for (int s = 0; s < i % 3; s++)
            {
                connection.Stats.OnStreamOpened();
            }

            if (i % 4 == 1)
            {
                connection.Stats.RecordFailure(connection.Stats.GetTimestamp());
            }

            _candidates[i] = connection;
        }
    }

    /// <summary>One selection.</summary>
    [Benchmark]
    public IHealthTracked Select() => _strategy.Select(_candidates);
}
