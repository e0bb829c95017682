using Resilink.Health;
using Resilink.Resilience;

namespace Resilink.Pooling;

// Events in the idiom of the health engine: .NET events whose handlers must not throw (they are logged if they do).
// The Subscribe* methods add a handler and return the registration, so a caller can scope it with `using`.
public sealed partial class ConnectionPool<T>
{
    /// <summary>Raised (sender: the pool) after every health status change of a pooled connection, outside the pool's lock. Handlers must not throw (they are logged if they do).</summary>
    public event EventHandler<HealthStatusChangedEventArgs>? HealthStatusChanged;

    /// <summary>Raised (sender: <see cref="Reconnector"/>) as each attempt to open a connection starts.</summary>
    public event EventHandler<ReconnectEventArgs>? ReconnectAttemptStarted
    {
        add => Reconnector.AttemptStarted += value;
        remove => Reconnector.AttemptStarted -= value;
    }

    /// <summary>Raised (sender: <see cref="Reconnector"/>) when an attempt opened a connection.</summary>
    public event EventHandler<ReconnectEventArgs>? ReconnectSucceeded
    {
        add => Reconnector.Succeeded += value;
        remove => Reconnector.Succeeded -= value;
    }

    /// <summary>Raised (sender: <see cref="Reconnector"/>) when opening a connection was abandoned after its attempts.</summary>
    public event EventHandler<ReconnectEventArgs>? ReconnectGaveUp
    {
        add => Reconnector.GaveUp += value;
        remove => Reconnector.GaveUp -= value;
    }

    /// <summary>Raised (sender: <see cref="Failover"/>) on every failover state change; never raised by a pool without a secondary.</summary>
    public event EventHandler<FailoverStateChangedEventArgs>? FailoverStateChanged
    {
        add
        {
            if (Failover is not null)
            {
                Failover.StateChanged += value;
            }
        }
        remove
        {
            if (Failover is not null)
            {
                Failover.StateChanged -= value;
            }
        }
    }

    /// <summary>Adds <paramref name="handler"/> to <see cref="HealthStatusChanged"/>.</summary>
    /// <param name="handler">Called on every status change of a pooled connection.</param>
    /// <returns>Disposing it removes the handler (idempotent).</returns>
    public IDisposable SubscribeHealthEvents(EventHandler<HealthStatusChangedEventArgs> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        HealthStatusChanged += handler;
        return new Subscription(() => HealthStatusChanged -= handler);
    }

    /// <summary>Adds handlers to <see cref="ReconnectAttemptStarted"/>, <see cref="ReconnectSucceeded"/> and <see cref="ReconnectGaveUp"/>.</summary>
    /// <param name="attemptStarted">Called as each attempt starts; null for none.</param>
    /// <param name="succeeded">Called when an attempt connected; null for none.</param>
    /// <param name="gaveUp">Called when an open was abandoned; null for none.</param>
    /// <returns>Disposing it removes the handlers (idempotent).</returns>
    public IDisposable SubscribeReconnectEvents(
        EventHandler<ReconnectEventArgs>? attemptStarted = null,
        EventHandler<ReconnectEventArgs>? succeeded = null,
        EventHandler<ReconnectEventArgs>? gaveUp = null)
    {
        ReconnectAttemptStarted += attemptStarted;
        ReconnectSucceeded += succeeded;
        ReconnectGaveUp += gaveUp;
        return new Subscription(() =>
        {
            ReconnectAttemptStarted -= attemptStarted;
            ReconnectSucceeded -= succeeded;
            ReconnectGaveUp -= gaveUp;
        });
    }

    /// <summary>Adds <paramref name="handler"/> to <see cref="FailoverStateChanged"/> (never called for a pool without a secondary).</summary>
    /// <param name="handler">Called on every failover state change.</param>
    /// <returns>Disposing it removes the handler (idempotent).</returns>
    public IDisposable SubscribeFailoverEvents(EventHandler<FailoverStateChangedEventArgs> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        FailoverStateChanged += handler;
        return new Subscription(() => FailoverStateChanged -= handler);
    }

    /// <summary>
    /// Registers <paramref name="callback"/> to be called after every failed attempt to open a connection (the reconnector's
    /// failure callbacks): the connection id being opened, the attempt's exception and its 1-based number.
    /// </summary>
    /// <param name="callback">Receives connection id, exception and attempt number; should be quick.</param>
    /// <returns>Disposing it unregisters the callback (idempotent).</returns>
    public IDisposable RegisterFailureCallback(Action<string, Exception, int> callback) => Reconnector.RegisterFailureCallback(callback);

    private void RaiseHealthStatusChanged(HealthStatusChangedEventArgs change)
    {
        try
        {
            HealthStatusChanged?.Invoke(this, change);
        }
#pragma warning disable CA1031 // A failing subscriber must not stop the pool's own handling of the change.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogHandlerFailed(ex, nameof(HealthStatusChanged), change.ConnectionId);
        }
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private Action? _unsubscribe = unsubscribe;

        public void Dispose() => Interlocked.Exchange(ref _unsubscribe, null)?.Invoke();
    }
}
