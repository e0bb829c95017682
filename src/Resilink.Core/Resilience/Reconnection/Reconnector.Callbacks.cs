namespace Resilink.Resilience;

public sealed partial class Reconnector
{
    private readonly Lock _callbacksLock = new();
    private Action<string, Exception, int>[] _failureCallbacks = [];

    /// <summary>
    /// Registers <paramref name="callback"/> to be called after every failed attempt of every reconnection (timeouts
    /// and the last attempt included; not an attempt ended by the caller's cancellation), with the key, the attempt's
    /// exception and its 1-based number. Called in registration order on the reconnecting flow, so it should be quick;
    /// one that throws is logged and does not stop the reconnection or the other callbacks.
    /// </summary>
    /// <param name="callback">Receives connection id (the key), exception and attempt number.</param>
    /// <returns>Disposing it unregisters the callback (idempotent).</returns>
    public IDisposable RegisterFailureCallback(Action<string, Exception, int> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_callbacksLock)
        {
            _failureCallbacks = [.. _failureCallbacks, callback];
        }
        return new Registration(this, callback);
    }

    private void Unregister(Action<string, Exception, int> callback)
    {
        lock (_callbacksLock)
        {
            int index = Array.IndexOf(_failureCallbacks, callback);
            if (index >= 0)
            {
                _failureCallbacks = [.. _failureCallbacks.AsSpan(0, index), .. _failureCallbacks.AsSpan(index + 1)];
            }
        }
    }

    private void InvokeFailureCallbacks(string key, Exception exception, int attempt)
    {
        foreach (var callback in Volatile.Read(ref _failureCallbacks))
        {
            try
            {
                callback(key, exception, attempt);
            }
#pragma warning disable CA1031 // A failing callback must not break the reconnection.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogHandlerFailed(ex, "failure callback", key);
            }
        }
    }

    private sealed class Registration(Reconnector owner, Action<string, Exception, int> callback) : IDisposable
    {
        private Reconnector? _owner = owner;

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Unregister(callback);
    }
}
