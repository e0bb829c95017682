using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Resilink.Hosting.History;

/// <summary>
/// The node's health history in SQLite (<c>history.db</c> in <see cref="HealthHistoryOptions.DataDirectory"/>), so
/// that it survives a restart. Records are offered with <c>TryAdd</c>, which never waits: they go into a bounded
/// queue that one background writer drains in transactions of up to <see cref="HealthHistoryOptions.MaxBatchSize"/>
/// every <see cref="HealthHistoryOptions.FlushInterval"/> (sooner when a batch is full). Records older than
/// <see cref="HealthHistoryOptions.Retention"/> are pruned at start and every <see cref="HealthHistoryOptions.PruneInterval"/>.
/// A failing write (disk full, read-only or locked database, a file that cannot be opened) is logged once per kind
/// of failure until writes work again, its records are dropped and counted, and the writer keeps going.
/// Thread-safe.
/// </summary>
public sealed partial class SqliteHealthHistory : IHealthHistory, IAsyncDisposable
{
    private readonly HealthHistoryOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly HistoryCounters _counters = new();
    private readonly HistoryFailureLog _failures;
    private readonly Channel<object> _queue;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Lock _flushLock = new();
    private readonly ITimer _flushTimer;
    private readonly ITimer _pruneTimer;
    private readonly Task _writer;
    private List<TaskCompletionSource> _flushWaiters = [];
    private bool _writerDone;
    private SqliteConnection? _connection;
    private bool _openedLogged;
    private int _pruneDue = 1; // once at start
    private int _queueFullLogged;
    private int _disposed;

    /// <summary>
    /// Opens or creates the database (and its directory) and starts the background writer. A database that cannot be
    /// opened is logged, not thrown: the writer tries again with each batch.
    /// </summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="timeProvider">The clock of the flush and prune intervals and of the retention; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Where failures are logged; none when null.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public SqliteHealthHistory(HealthHistoryOptions options, TimeProvider? timeProvider = null, ILogger<SqliteHealthHistory>? logger = null)
    {
        HealthHistoryOptionsValidator.ThrowIfInvalid(options);
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        DatabasePath = options.DatabasePath;
        RunId = Guid.CreateVersion7(_timeProvider.GetUtcNow()).ToString("N");
        _failures = new HistoryFailureLog(_logger, DatabasePath);
        _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(options.MaxQueuedWrites) { SingleReader = true });
        TryOpen(); // at once, so that a database that cannot be used is said at start
        _flushTimer = _timeProvider.CreateTimer(_ => Wake(), null, options.FlushInterval, options.FlushInterval);
        _pruneTimer = _timeProvider.CreateTimer(_ => PruneSoon(), null, options.PruneInterval, options.PruneInterval);
        _writer = Task.Run(WriteLoopAsync);
        Wake(); // the first prune
    }

    /// <inheritdoc />
    /// <remarks>New for every instance (one per node start), time-ordered. <see cref="HealthHistoryRecorder"/> stamps its records with it.</remarks>
    public string RunId { get; }

    /// <summary>Gets the database file's full path.</summary>
    public string DatabasePath { get; }

    /// <summary>Gets the counters since creation: written, dropped, failed batches, pruned, queued.</summary>
    public HealthHistoryStatistics Statistics => _counters.Snapshot(_queue.Reader.Count);

    /// <summary>Queues one health sample for writing; never waits.</summary>
    /// <param name="sample">The sample.</param>
    /// <returns>False when the queue is full (the sample is dropped and counted) or the store is disposed.</returns>
    public bool TryAdd(HealthSampleRecord sample) => TryEnqueue(sample);

    /// <summary>Queues one status change for writing; never waits.</summary>
    /// <param name="change">The change.</param>
    /// <returns>False when the queue is full (the change is dropped and counted) or the store is disposed.</returns>
    public bool TryAdd(StatusChangeRecord change) => TryEnqueue(change);

    /// <summary>Queues one alert for writing; never waits.</summary>
    /// <param name="alert">The alert.</param>
    /// <returns>False when the queue is full (the alert is dropped and counted) or the store is disposed.</returns>
    public bool TryAdd(AlertRecord alert) => TryEnqueue(alert);

    /// <summary>
    /// Asks the writer to write everything queued so far now, and to prune if a prune is due, and waits until it has
    /// (written, or failed and dropped). Returns at once after disposal.
    /// </summary>
    /// <param name="cancellationToken">Stops the wait (not the writing).</param>
    /// <returns>A task that completes when what was queued before the call is written or dropped.</returns>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_flushLock)
        {
            if (_writerDone)
            {
                return Task.CompletedTask;
            }
            _flushWaiters.Add(waiter);
        }
        Wake();
        return waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops taking records, writes what is queued, and closes the database.</summary>
    /// <returns>A task that completes when the writer has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _queue.Writer.TryComplete();
        await _flushTimer.DisposeAsync().ConfigureAwait(false);
        await _pruneTimer.DisposeAsync().ConfigureAwait(false);
        _wake.Writer.TryComplete(); // the writer's last round drains the queue
        await _writer.ConfigureAwait(false);
    }

    private bool TryEnqueue(object record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_queue.Writer.TryWrite(record))
        {
            if (_queue.Reader.Count >= _options.MaxBatchSize)
            {
                Wake(); // a full batch waits for no timer
            }
            return true;
        }
        if (Volatile.Read(ref _disposed) != 0)
        {
            return false;
        }
        _counters.QueueFull();
        if (Interlocked.Exchange(ref _queueFullLogged, 1) == 0)
        {
            LogQueueFull(_logger, _options.MaxQueuedWrites, DatabasePath);
        }
        return false;
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private void PruneSoon()
    {
        Volatile.Write(ref _pruneDue, 1);
        Wake();
    }
}
