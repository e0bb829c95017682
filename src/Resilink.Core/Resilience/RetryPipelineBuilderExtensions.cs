using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Resilink.Resilience;

/// <summary>Adds Resilink's connection retry to a Polly pipeline.</summary>
public static class RetryPipelineBuilderExtensions
{
    /// <summary>
    /// Adds a retry of transient connection errors (see <see cref="TransientConnectionErrors"/>) with the delays of
    /// <see cref="BackoffCalculator"/>. When every attempt fails the caller gets one <see cref="RetryExhaustedException"/>
    /// listing them; other errors and the caller's cancellation pass through at once. Delays use the builder's
    /// <see cref="ResiliencePipelineBuilderBase.TimeProvider"/>.
    /// </summary>
    /// <param name="builder">The builder to add to.</param>
    /// <param name="options">Validated and copied now; later changes to it have no effect on this pipeline.</param>
    /// <param name="random">Jitter source in [0, 1); default <see cref="Random.Shared"/>.</param>
    /// <param name="logger">
    /// Where each retried attempt is logged, one Information line (the execution's
    /// <see cref="ResilienceContext.OperationKey"/>, attempt n of m, the delay, the error's message; the stack trace only
    /// at Debug); none when null.
    /// </param>
    /// <returns>The same builder.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public static ResiliencePipelineBuilder AddResilinkRetry(
        this ResiliencePipelineBuilder builder,
        RetryOptions options,
        Func<double>? random = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var calculator = new BackoffCalculator(options, random);

        builder.AddStrategy(_ => new RetryAttemptRecorder(), new RetryAttemptRecorder.Options());
        if (options.MaxRetries > 0)
        {
            int maxAttempts = options.MaxRetries + 1; // read now: the options are copied, not watched
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = RetryConstants.StrategyName,
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = static args => new ValueTask<bool>(
                    args.Outcome.Exception is { } e && TransientConnectionErrors.IsTransient(e, args.Context.CancellationToken)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(calculator.GetDelay(args.AttemptNumber)),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(RetryAttemptLog.Key, out var log) && log is not null)
                    {
                        log.RecordRetry(args.AttemptNumber, args.Outcome.Exception!, args.RetryDelay);
                    }
                    if (logger is not null)
                    {
                        RetryLog.Retrying(
                            logger, args.Context.OperationKey ?? RetryConstants.StrategyName, args.AttemptNumber + 1, maxAttempts,
                            args.RetryDelay, args.Outcome.Exception!);
                    }
                    return default;
                },
            });
        }
        return builder;
    }
}
