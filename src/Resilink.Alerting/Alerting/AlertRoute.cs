using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Resilink.Alerting;

/// <summary>
/// One sink with its minimum level, its bounded queue (full: the oldest waiting alert is dropped) and the background
/// sender that empties it, so a slow or hanging sink delays nobody but itself.
/// </summary>
internal sealed partial class AlertRoute
{
    private readonly Channel<Alert> _queue;
    private readonly AlertCounters _counters;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private TaskCompletionSource _idle = new();
    private int _pending;

    public AlertRoute(IAlertSink sink, MonitoringLevel minimumLevel, int capacity, AlertCounters counters, ILogger logger)
    {
        Sink = sink;
        MinimumLevel = minimumLevel;
        _counters = counters;
        _logger = logger;
        _idle.SetResult();
        _queue = Channel.CreateBounded<Alert>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnDropped);
    }

    public IAlertSink Sink { get; }

    public MonitoringLevel MinimumLevel { get; }

    /// <summary>Gets the deliveries queued or in progress.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public Task Sender { get; private set; } = Task.CompletedTask;

    public void Start(CancellationToken stopping) => Sender = Task.Run(() => SendLoopAsync(stopping), CancellationToken.None);

    /// <summary>Queues <paramref name="alert"/> without waiting; never blocks.</summary>
    public void Enqueue(Alert alert)
    {
        lock (_gate)
        {
            if (_pending++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        Interlocked.Increment(ref _counters.Queued);
        if (!_queue.Writer.TryWrite(alert))
        {
            OnDropped(alert); // the manager is shutting down
        }
    }

    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Completes when everything queued so far has been sent, failed or dropped.</summary>
    public Task WhenIdle()
    {
        lock (_gate)
        {
            return _idle.Task;
        }
    }

    private async Task SendLoopAsync(CancellationToken stopping)
    {
        ChannelReader<Alert> reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                while (reader.TryRead(out Alert? alert))
                {
                    await SendOneAsync(alert, stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: what is still queued is dropped below.
        }

        while (reader.TryRead(out Alert? left))
        {
            OnDropped(left);
        }
    }

    private async Task SendOneAsync(Alert alert, CancellationToken stopping)
    {
        try
        {
            await Sink.SendAsync(alert, stopping).ConfigureAwait(false);
            Interlocked.Increment(ref _counters.Delivered);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Interlocked.Increment(ref _counters.DroppedDeliveries);
        }
#pragma warning disable CA1031 // Whatever a sink throws is its failed delivery, never the manager's failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _counters.Failed);
            LogDeliveryFailed(_logger, ex, Sink.Name, alert.Rule.Name, alert.Service, alert.IsResolved);
        }
        finally
        {
            Finished();
        }
    }

    private void OnDropped(Alert alert)
    {
        Interlocked.Increment(ref _counters.DroppedDeliveries);
        Finished();
    }

    private void Finished()
    {
        lock (_gate)
        {
            if (--_pending == 0)
            {
                _idle.TrySetResult();
            }
        }
    }
}
