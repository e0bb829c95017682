using Polly;
using Polly.CircuitBreaker;
using CircuitState = Resilink.Monitoring.CircuitState;

namespace Resilink.Resilience;

/// <summary>
/// One key's breaker in a <see cref="CircuitBreakerRegistry"/>: its Polly pipeline, the state provider and manual
/// control bound to it, its place in the registry's use order, and the last state it reported.
/// </summary>
internal sealed class CircuitBreakerEntry
{
    private readonly Lock _gate = new();
    private CircuitState _reported = CircuitState.Closed;
    private bool _evicted;

    public CircuitBreakerEntry(string key, CircuitBreakerRegistry owner, CircuitBreakerOptions options, TimeProvider timeProvider)
    {
        Key = key;
        Node = new LinkedListNode<CircuitBreakerEntry>(this);
        var strategy = new CircuitBreakerStrategyOptions
        {
            Name = CircuitBreakerConstants.StrategyName,
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
            StateProvider = StateProvider,
            ManualControl = ManualControl,
            ShouldHandle = static args => new ValueTask<bool>(
                args.Outcome.Exception is { } e && CircuitBreakerFailures.IsFailure(e, args.Context.CancellationToken)),
            // Polly runs these one at a time, in order, and the call that caused the change awaits them.
            OnOpened = args =>
            {
                owner.OnTransition(this, args.IsManual ? CircuitState.Isolated : CircuitState.Open, args.BreakDuration, args.IsManual, args.Outcome.Exception);
                return default;
            },
            OnClosed = args =>
            {
                owner.OnTransition(this, CircuitState.Closed, null, args.IsManual, null);
                return default;
            },
            OnHalfOpened = _ =>
            {
                owner.OnTransition(this, CircuitState.HalfOpen, null, isManual: false, null);
                return default;
            },
        };
        Pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }.AddCircuitBreaker(strategy).Build();
    }

    public string Key { get; }

    public ResiliencePipeline Pipeline { get; }

    public CircuitBreakerStateProvider StateProvider { get; } = new();

    public CircuitBreakerManualControl ManualControl { get; } = new();

    /// <summary>Gets the entry's node in the registry's use order (guarded by the registry's lock).</summary>
    public LinkedListNode<CircuitBreakerEntry> Node { get; }

    /// <summary>Gets the breaker's state now, in Resilink's terms.</summary>
    public CircuitState State => StateProvider.CircuitState switch
    {
        Polly.CircuitBreaker.CircuitState.Open => CircuitState.Open,
        Polly.CircuitBreaker.CircuitState.HalfOpen => CircuitState.HalfOpen,
        Polly.CircuitBreaker.CircuitState.Isolated => CircuitState.Isolated,
        _ => CircuitState.Closed,
    };

    /// <summary>Records a move to <paramref name="to"/>; false if it is no move or the entry was evicted (nothing to report).</summary>
    public bool TryMoveTo(CircuitState to, out CircuitState from)
    {
        lock (_gate)
        {
            from = _reported;
            if (_evicted || from == to)
            {
                return false;
            }
            _reported = to;
            return true;
        }
    }

    /// <summary>Marks the entry forgotten: later changes of its breaker are not reported. Returns the last state it reported.</summary>
    public CircuitState Evict()
    {
        lock (_gate)
        {
            _evicted = true;
            return _reported;
        }
    }
}
