using Resilink.Health;
using Resilink.Net.Host;

namespace Resilink.Tests.Shared;

/// <summary>
/// Records every <see cref="Libp2pHost.HealthStatusChanged"/> of a host from the moment it is created, and waits for
/// a given change (one already seen counts). Failure messages list every change seen, plus what
/// <c>describeState</c> says.
/// </summary>
internal sealed class HealthChangeRecorder
{
    private readonly List<HealthStatusChangedEventArgs> _changes = [];
    private readonly Func<string>? _describeState;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HealthChangeRecorder(Libp2pHost host, Func<string>? describeState = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _describeState = describeState;
        host.HealthStatusChanged += (_, e) => OnChanged(e);
    }

    /// <summary>Every change seen so far, in order.</summary>
    public IReadOnlyList<HealthStatusChangedEventArgs> Changes
    {
        get
        {
            lock (_changes)
            {
                return [.. _changes];
            }
        }
    }

    /// <summary>
    /// Waits for <paramref name="connectionId"/> to change to <paramref name="status"/>, optionally only a change that
    /// also matches <paramref name="where"/>; returns the change. A cancelled wait throws <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<HealthStatusChangedEventArgs> WaitForStatusAsync(
        string connectionId, HealthStatus status, CancellationToken cancellationToken, Func<HealthStatusChangedEventArgs, bool>? where = null)
    {
        while (true)
        {
            Task next;
            lock (_changes)
            {
                var found = _changes.Find(c => c.ConnectionId == connectionId && c.Current == status && (where?.Invoke(c) ?? true));
                if (found is not null)
                {
                    return found;
                }

                next = _changed.Task;
            }

            try
            {
                await next.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException ex)
            {
                throw new TimeoutException($"{connectionId} never became {status}. {Describe()}", ex);
            }
        }
    }

    /// <summary>The state from <c>describeState</c> and every change seen, for failure messages.</summary>
    public string Describe()
    {
        var state = _describeState?.Invoke();
        lock (_changes)
        {
            return (state is null ? "" : state + ". ") + "Changes: " +
                string.Join("; ", _changes.Select(c => $"{c.ConnectionId} {c.Previous}->{c.Current} ({c.Reason})"));
        }
    }

    private void OnChanged(HealthStatusChangedEventArgs change)
    {
        TaskCompletionSource changed;
        lock (_changes)
        {
            _changes.Add(change);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
