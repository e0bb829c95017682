using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Resilink.Monitoring;

namespace Resilink.Resilience;

/// <summary>
/// Re-establishes lost connections: calls a connect delegate until it succeeds, with the <see cref="ReconnectOptions"/>
/// delays between attempts and <see cref="ReconnectOptions.ConnectionTimeout"/> on each, for at most
/// <see cref="ReconnectOptions.MaxAttempts"/> attempts. Built on one Polly pipeline (retry, then per-attempt timeout);
/// thread-safe, and one instance serves any number of connections at once.
/// </summary>
/// <remarks>
/// Only transient errors are retried (<see cref="TransientConnectionErrors"/>, per-attempt timeouts included). A
/// permanent error (<see cref="IPermanentConnectionError"/>) or any other error stops the reconnection at once and is
/// thrown as is; the caller's cancellation stops it too, without a <see cref="GaveUp"/>.
/// </remarks>
public sealed partial class Reconnector
{
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IConnectionMonitor _monitor;
    private readonly ReconnectionCounters _counters = new();

    /// <summary>Initializes a new instance of the <see cref="Reconnector"/> class.</summary>
    /// <param name="options">The settings; validated and copied now, later changes have no effect.</param>
    /// <param name="timeProvider">The clock of every delay and timeout; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="random">Jitter source, uniform in [0, 1); <see cref="Random.Shared"/> when null.</param>
    /// <param name="logger">Where failed attempts, reconnections and give-ups are logged; none when null.</param>
    /// <param name="monitor">Where each attempt's outcome and each give-up are reported (<see cref="IConnectionMonitor.OnReconnect"/>); none when null.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public Reconnector(
        ReconnectOptions options,
        TimeProvider? timeProvider = null,
        Func<double>? random = null,
        ILogger<Reconnector>? logger = null,
        IConnectionMonitor? monitor = null)
    {
        var calculator = new BackoffCalculator(options, random); // validates
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _monitor = monitor ?? NullConnectionMonitor.Instance;
        _pipeline = Build(options, calculator);
    }

    /// <summary>Raised as each attempt starts, before the connect delegate is called. Handlers must not throw (they are logged if they do).</summary>
    public event EventHandler<ReconnectEventArgs>? AttemptStarted;

    /// <summary>Raised when an attempt connects. Handlers must not throw (they are logged if they do).</summary>
    public event EventHandler<ReconnectEventArgs>? Succeeded;

    /// <summary>Raised when a reconnection is abandoned, just before its exception is thrown. Handlers must not throw (they are logged if they do).</summary>
    public event EventHandler<ReconnectEventArgs>? GaveUp;

    /// <summary>Gets the counters so far (a consistent snapshot).</summary>
    public ReconnectionStatistics Statistics => _counters.Snapshot();

    private ResiliencePipeline Build(ReconnectOptions options, BackoffCalculator calculator)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _timeProvider };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = ReconnectConstants.RetryStrategyName,
                MaxRetryAttempts = options.MaxAttempts - 1,
                ShouldHandle = static args => new ValueTask<bool>(
                    args.Outcome.Exception is { } e && TransientConnectionErrors.IsTransient(e, args.Context.CancellationToken)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(calculator.GetDelay(args.AttemptNumber)),
                OnRetry = static args =>
                {
                    if (args.Context.Properties.TryGetValue(ReconnectCall.Key, out var call) && call is not null)
                    {
                        call.NextDelay = args.RetryDelay;
                    }
                    return default;
                },
            });
        }
        builder.AddStrategy(_ => new ReconnectAttemptObserver(this), new ReconnectAttemptObserver.Options());
        builder.AddTimeout(new TimeoutStrategyOptions { Name = ReconnectConstants.TimeoutStrategyName, Timeout = options.ConnectionTimeout });
        return builder.Build();
    }
}
