using Polly;

namespace Resilink.Resilience;

/// <summary>
/// Sits between the retry and the per-attempt timeout of a <see cref="Reconnector"/>, so it sees each attempt once,
/// timeouts included: numbers it, announces it, and reports its failure.
/// </summary>
internal sealed class ReconnectAttemptObserver : ResilienceStrategy
{
    private readonly Reconnector _owner;

    public ReconnectAttemptObserver(Reconnector owner) => _owner = owner;

    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        context.Properties.TryGetValue(ReconnectCall.Key, out var call);
        if (call is null)
        {
            return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }

        call.BeginAttempt();
        _owner.OnAttemptStarted(call);
        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);

        // An attempt ended by the caller's own cancellation is not a connection failure.
        if (outcome.Exception is { } exception && !context.CancellationToken.IsCancellationRequested)
        {
            call.Fail(exception);
            _owner.OnAttemptFailed(call, exception);
        }
        return outcome;
    }

    /// <summary>Options of the observer; it has no settings of its own.</summary>
    internal sealed class Options : ResilienceStrategyOptions
    {
        public Options() => Name = "Resilink.Reconnect.Attempts";
    }
}
