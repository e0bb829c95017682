using Polly;
using Resilink.Monitoring;

namespace Resilink.Resilience;

public sealed partial class Reconnector
{
    /// <summary>
    /// Calls <paramref name="connect"/> until it returns, waiting the configured delay between attempts and giving each
    /// attempt <see cref="ReconnectOptions.ConnectionTimeout"/> (its token is cancelled then).
    /// </summary>
    /// <typeparam name="T">What a successful attempt returns (the connection).</typeparam>
    /// <param name="key">What is being reconnected (connection id, peer or endpoint); passed to events and failure callbacks.</param>
    /// <param name="connect">One attempt; must honour its token.</param>
    /// <param name="cancellationToken">Stops the reconnection (thrown as <see cref="OperationCanceledException"/>).</param>
    /// <returns>What the successful attempt returned.</returns>
    /// <exception cref="RetryExhaustedException">Every one of <see cref="ReconnectOptions.MaxAttempts"/> attempts failed with a transient error.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>Any other exception is a permanent or unexpected error of an attempt, thrown as is after that attempt.</remarks>
    public async Task<T> ReconnectAsync<T>(string key, Func<CancellationToken, Task<T>> connect, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(connect);
        var call = new ReconnectCall(key, _timeProvider.GetTimestamp());
        var context = ResilienceContextPool.Shared.Get(key, continueOnCapturedContext: false, cancellationToken);
        context.Properties.Set(ReconnectCall.Key, call);
        try
        {
            T result = await _pipeline.ExecuteAsync(
                static async (ctx, connect) => await connect(ctx.CancellationToken).ConfigureAwait(false),
                context,
                connect).ConfigureAwait(false);
            OnSucceeded(call);
            return result;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            _counters.Cancelled();
            LogCancelled(key, call.Attempt);
            throw;
        }
        catch (Exception ex) when (TransientConnectionErrors.IsTransient(ex, cancellationToken) && call.Failures.Count > 0)
        {
            var exhausted = new RetryExhaustedException([.. call.Failures]);
            OnGaveUp(call, exhausted);
            throw exhausted;
        }
        catch (Exception ex)
        {
            OnGaveUp(call, ex);
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    internal void OnAttemptStarted(ReconnectCall call)
    {
        _counters.AttemptStarted();
        Raise(AttemptStarted, nameof(AttemptStarted), call, exception: null);
    }

    internal void OnAttemptFailed(ReconnectCall call, Exception exception)
    {
        _counters.AttemptFailed();
        _monitor.OnReconnect(new ReconnectEvent(call.ConnectionKey, ReconnectOutcome.Failure, call.Attempt));
        LogAttemptFailed(exception, call.ConnectionKey, call.Attempt);
        InvokeFailureCallbacks(call.ConnectionKey, exception, call.Attempt);
    }

    private void OnSucceeded(ReconnectCall call)
    {
        var elapsed = _timeProvider.GetElapsedTime(call.StartTimestamp);
        _counters.Succeeded(elapsed);
        _monitor.OnReconnect(new ReconnectEvent(call.ConnectionKey, ReconnectOutcome.Success, call.Attempt));
        LogSucceeded(call.ConnectionKey, call.Attempt, elapsed.TotalMilliseconds);
        Raise(Succeeded, nameof(Succeeded), call, exception: null);
    }

    private void OnGaveUp(ReconnectCall call, Exception exception)
    {
        _counters.GaveUp();
        _monitor.OnReconnect(new ReconnectEvent(call.ConnectionKey, ReconnectOutcome.GaveUp, call.Attempt));
        LogGaveUp(call.ConnectionKey, call.Attempt, exception.Message); // each attempt's exception is logged at Debug
        Raise(GaveUp, nameof(GaveUp), call, exception);
    }

    private void Raise(EventHandler<ReconnectEventArgs>? handler, string name, ReconnectCall call, Exception? exception)
    {
        if (handler is null)
        {
            return;
        }
        var args = new ReconnectEventArgs(
            call.ConnectionKey, call.Attempt, call.DelayBefore, _timeProvider.GetElapsedTime(call.StartTimestamp), exception);
        try
        {
            handler(this, args);
        }
#pragma warning disable CA1031 // A failing subscriber must not break the reconnection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogHandlerFailed(ex, name, call.ConnectionKey);
        }
    }
}
