namespace Resilink.Monitoring;

/// <summary>One registered service: its check, its connection counter, its recent outcomes and its bounded history.</summary>
internal sealed class MonitoredService(
    string id, Func<CancellationToken, Task<ServiceCheckResult>> check, Func<int>? connectionCount, ServiceHealthOptions options)
{
    private readonly Lock _lock = new();
    private readonly bool[] _failures = new bool[options.ErrorRateWindow];
    private readonly Queue<ServiceHealthMetrics> _history = new();
    private int _outcomes;
    private int _failed;
    private int _next;
    private int _checking;

    public string Id { get; } = id;

    public Func<CancellationToken, Task<ServiceCheckResult>> Check { get; } = check;

    public Func<int>? ConnectionCount { get; } = connectionCount;

    public ServiceHealthMetrics? Latest { get; private set; }

    /// <summary>Claims the service for a periodic round; false while a check of the previous round still runs.</summary>
    public bool TryBeginCheck() => Interlocked.Exchange(ref _checking, 1) == 0;

    public void EndCheck() => Volatile.Write(ref _checking, 0);

    /// <summary>Gets a value indicating whether a periodic check of it is in flight (recording included).</summary>
    public bool IsChecking => Volatile.Read(ref _checking) != 0;

    /// <summary>Adds one check outcome to the error window and returns the share of failures in it.</summary>
    public double RecordOutcome(bool failed)
    {
        lock (_lock)
        {
            if (_outcomes == _failures.Length)
            {
                _failed -= _failures[_next] ? 1 : 0;
            }
            else
            {
                _outcomes++;
            }

            _failures[_next] = failed;
            _failed += failed ? 1 : 0;
            _next = (_next + 1) % _failures.Length;
            return (double)_failed / _outcomes;
        }
    }

    /// <summary>Records <paramref name="metrics"/> and drops what is older than the retention or beyond the count; returns the previous latest.</summary>
    public ServiceHealthMetrics? Record(ServiceHealthMetrics metrics, TimeSpan retention, int maxCount)
    {
        lock (_lock)
        {
            ServiceHealthMetrics? previous = Latest;
            Latest = metrics;
            _history.Enqueue(metrics);
            Prune(metrics.Timestamp, retention, maxCount);
            return previous;
        }
    }

    public ServiceHealthMetrics[] History(DateTimeOffset now, TimeSpan retention, int maxCount)
    {
        lock (_lock)
        {
            Prune(now, retention, maxCount);
            return [.. _history];
        }
    }

    private void Prune(DateTimeOffset now, TimeSpan retention, int maxCount)
    {
        while (_history.Count > maxCount || (_history.TryPeek(out ServiceHealthMetrics? oldest) && oldest.Timestamp < now - retention))
        {
            _history.Dequeue();
        }
    }
}
