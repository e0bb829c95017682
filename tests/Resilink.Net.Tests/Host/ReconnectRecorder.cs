using Resilink.Net.Host;

namespace Resilink.Net.Tests.Host;

/// <summary>What a host said about one re-dial step.</summary>
internal enum ReconnectStep
{
    Started,
    Failed,
    Reconnected,
    GaveUp,
}

/// <summary>One step: <see cref="ReconnectStep.Failed"/> comes from the failure callback, the others from the host's events.</summary>
internal sealed record ReconnectRecord(ReconnectStep Step, string Key, int Attempt, TimeSpan Delay, Exception? Exception, object? Sender);

/// <summary>
/// Records every keep-alive step of a host from the moment it is created, and waits for a given one (one already seen
/// counts). Failure messages list every step seen.
/// </summary>
internal sealed class ReconnectRecorder : IDisposable
{
    private readonly List<ReconnectRecord> _records = [];
    private readonly IDisposable _failures;
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReconnectRecorder(Libp2pHost host)
    {
        host.ReconnectAttemptStarted += (sender, e) => Add(new(ReconnectStep.Started, e.Key, e.Attempt, e.Delay, e.Exception, sender));
        host.Reconnected += (sender, e) => Add(new(ReconnectStep.Reconnected, e.Key, e.Attempt, e.Delay, e.Exception, sender));
        host.ReconnectGaveUp += (sender, e) => Add(new(ReconnectStep.GaveUp, e.Key, e.Attempt, e.Delay, e.Exception, sender));
        _failures = host.RegisterReconnectFailureCallback((key, error, attempt) =>
            Add(new ReconnectRecord(ReconnectStep.Failed, key, attempt, TimeSpan.Zero, error, host)));
    }

    /// <summary>Every step seen so far, in order.</summary>
    public IReadOnlyList<ReconnectRecord> Records
    {
        get
        {
            lock (_records)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>The steps of one kind seen so far, in order.</summary>
    public IReadOnlyList<ReconnectRecord> Of(ReconnectStep step) => [.. Records.Where(r => r.Step == step)];

    /// <summary>Waits for a <paramref name="step"/> with at least <paramref name="attempt"/>; a cancelled wait throws <see cref="TimeoutException"/>.</summary>
    public async Task<ReconnectRecord> WaitForAsync(ReconnectStep step, CancellationToken cancellationToken, int attempt = 1)
    {
        while (true)
        {
            Task next;
            lock (_records)
            {
                var found = _records.Find(r => r.Step == step && r.Attempt >= attempt);
                if (found is not null)
                {
                    return found;
                }
                next = _added.Task;
            }

            try
            {
                await next.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException ex)
            {
                throw new TimeoutException($"No {step} at attempt {attempt} or later. {Describe()}", ex);
            }
        }
    }

    /// <summary>Every step seen, for failure messages.</summary>
    public string Describe() =>
        "Steps: " + string.Join("; ", Records.Select(r => $"{r.Step} #{r.Attempt} after {r.Delay.TotalMilliseconds:0} ms{(r.Exception is null ? "" : $" ({r.Exception.GetType().Name}: {r.Exception.Message})")}"));

    public void Dispose() => _failures.Dispose();

    private void Add(ReconnectRecord record)
    {
        TaskCompletionSource added;
        lock (_records)
        {
            _records.Add(record);
            added = _added;
            _added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        added.TrySetResult();
    }
}
