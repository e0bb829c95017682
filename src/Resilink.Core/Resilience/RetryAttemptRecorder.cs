using Polly;

namespace Resilink.Resilience;

/// <summary>
/// Sits just outside the Polly retry: gives each execution a fresh <see cref="RetryAttemptLog"/> (filled by the retry's
/// OnRetry) and, when the retry returns a transient failure, turns it into one <see cref="RetryExhaustedException"/>.
/// </summary>
internal sealed class RetryAttemptRecorder : ResilienceStrategy
{
    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        var log = new RetryAttemptLog();
        context.Properties.TryGetValue(RetryAttemptLog.Key, out var outer);
        context.Properties.Set(RetryAttemptLog.Key, log);
        Outcome<TResult> outcome;
        try
        {
            outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        finally
        {
            context.Properties.Set(RetryAttemptLog.Key, outer);
        }

        // The retry hands back a transient failure only when it has no attempts left: it stops early for a
        // non-transient error or a cancelled caller, and those pass through unchanged.
        if (outcome.Exception is { } exception && TransientConnectionErrors.IsTransient(exception, context.CancellationToken))
        {
            return Outcome.FromException<TResult>(log.GiveUp(exception));
        }
        return outcome;
    }

    /// <summary>Options of the recorder; it has no settings of its own.</summary>
    internal sealed class Options : ResilienceStrategyOptions
    {
        public Options() => Name = RetryConstants.StrategyName + ".Attempts";
    }
}
