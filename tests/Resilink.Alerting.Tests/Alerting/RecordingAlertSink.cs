using System.Threading.Channels;
using Resilink.Alerting;

namespace Resilink.Alerting.Tests.Alerting;

/// <summary>
/// A sink that keeps what it receives. While <see cref="Block"/> is on, every send waits until <see cref="Release"/>
/// (or the manager's cancellation): a sink that hangs.
/// </summary>
internal sealed class RecordingAlertSink(string name = "recording") : IAlertSink
{
    private readonly List<Alert> _received = [];
    private readonly Channel<Alert> _started = Channel.CreateUnbounded<Alert>();
    private readonly Channel<Alert> _arrived = Channel.CreateUnbounded<Alert>();
    private TaskCompletionSource _gate = Completed();

    public string Name => name;

    public IReadOnlyList<Alert> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Gets or sets what a send throws, or null to succeed.</summary>
    public Exception? Failure { get; set; }

    public void Block() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    /// <summary>Waits (at most 10 s of real time, as a safety net) until a send has started.</summary>
    public async Task<Alert> WaitForSendStartedAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _started.Reader.ReadAsync(limit.Token);
    }

    public async ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        _started.Writer.TryWrite(alert);
        await _gate.Task.WaitAsync(cancellationToken);
        if (Failure is { } failure)
        {
            throw failure;
        }

        lock (_received)
        {
            _received.Add(alert);
        }

        _arrived.Writer.TryWrite(alert);
    }

    /// <summary>Waits (at most 10 s of real time, as a safety net) until <paramref name="count"/> alerts have been received.</summary>
    public async Task WaitForReceivedAsync(int count)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Received.Count < count)
        {
            await _arrived.Reader.ReadAsync(limit.Token);
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
