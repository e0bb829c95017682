using Resilink.Pooling;
using Resilink.Resilience;
using StackExchange.Redis;

namespace Resilink.EndToEnd.Tests.Redis;

/// <summary>Keeps every failover state change of a pool, in order, and lets a test wait for one.</summary>
internal sealed class FailoverRecorder : IDisposable
{
    private readonly List<FailoverStateChangedEventArgs> _changes = [];
    private readonly IDisposable _subscription;
    private TaskCompletionSource _changed = NewSignal();

    public FailoverRecorder(ConnectionPool<IConnectionMultiplexer> pool)
    {
        _subscription = pool.SubscribeFailoverEvents(OnChanged);
    }

    public IReadOnlyList<FailoverStateChangedEventArgs> Changes
    {
        get
        {
            lock (_changes)
            {
                return [.. _changes];
            }
        }
    }

    /// <summary>The transitions so far as "From->To", for assertions and failure messages.</summary>
    public IReadOnlyList<string> Transitions => [.. Changes.Select(c => $"{c.From}->{c.To}")];

    /// <summary>Waits until the <paramref name="occurrence"/>-th change into <paramref name="state"/> and returns it.</summary>
    public async Task<FailoverStateChangedEventArgs> WaitForAsync(FailoverState state, CancellationToken cancellationToken, int occurrence = 1)
    {
        while (true)
        {
            Task changed;
            lock (_changes)
            {
                var matches = _changes.Where(c => c.To == state).ToList();
                if (matches.Count >= occurrence)
                {
                    return matches[occurrence - 1];
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException ex)
            {
                throw new TimeoutException($"No change #{occurrence} to {state}; changes so far: {string.Join(", ", Transitions)}", ex);
            }
        }
    }

    public void Dispose() => _subscription.Dispose();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void OnChanged(object? sender, FailoverStateChangedEventArgs change)
    {
        TaskCompletionSource signal;
        lock (_changes)
        {
            _changes.Add(change);
            signal = _changed;
            _changed = NewSignal();
        }
        signal.SetResult();
    }
}
