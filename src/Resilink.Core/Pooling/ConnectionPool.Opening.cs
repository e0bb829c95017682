using System.Diagnostics;
using Resilink.Monitoring;
using Resilink.Resilience;

namespace Resilink.Pooling;

// Opening: every connection comes from the reconnector (its backoff, per-attempt timeout, events and statistics); one
// attempt is a create plus, optionally, a first health check. Opens of an endpoint the pool leaves are cancelled.
public sealed partial class ConnectionPool<T>
{
    private readonly List<PendingOpen> _opens = [];
    private readonly List<Task> _background = [];
    private long _nextId;
    private long _opened;
    private long _openFailures;

    /// <summary>Starts opening one connection of <paramref name="factory"/> in the background. Caller holds the lock.</summary>
    /// <returns>The open's task: its entry (already admitted, or closed if no longer wanted), or null if it gave up.</returns>
    private Task<PoolEntry<T>?> StartOpenLocked(IConnectionFactory<T> factory, string reason)
    {
        var open = new PendingOpen(factory, CancellationTokenSource.CreateLinkedTokenSource(_disposing.Token));
        _opens.Add(open);
        string id = $"{factory.Endpoint}#{Interlocked.Increment(ref _nextId)}";
        LogOpening(id, reason);
        var task = Task.Run(() => OpenEntryAsync(open, id));
        TrackLocked(task);
        return task;
    }

    /// <summary>Connections being opened for <paramref name="factory"/>. Caller holds the lock.</summary>
    private int OpeningLocked(IConnectionFactory<T> factory)
    {
        int count = 0;
        foreach (var open in _opens)
        {
            count += ReferenceEquals(open.Factory, factory) ? 1 : 0;
        }
        return count;
    }

    private async Task<PoolEntry<T>?> OpenEntryAsync(PendingOpen open, string id)
    {
        PoolEntry<T>? entry = null;
        try
        {
            var stop = open.Cancellation.Token;
            var (connection, rtt) = await Reconnector.ReconnectAsync(
                id, ct => OpenOnceAsync(open.Factory, ct, stop), stop).ConfigureAwait(false);
            entry = new PoolEntry<T>(id, open.Factory, connection, _timeProvider);
            if (rtt is { } firstRtt)
            {
                entry.Stats.RecordPing(firstRtt); // the latency strategies have a figure before the first health round
            }
            Interlocked.Increment(ref _opened);
        }
        catch (Exception) when (open.Cancellation.IsCancellationRequested)
        {
            // The pool is closing or left this endpoint.
        }
        catch (CircuitOpenException ex)
        {
            // The endpoint's breaker is open: nothing was called; the first sample after the break makes the trial open.
            LogOpenSkippedBreakerOpen(id, ex.State, ex.RetryAt);
        }
#pragma warning disable CA1031 // The reconnector gave up: logged; the next sizing sample opens again if the pool is short.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogOpenGaveUp(id, ex.Message);
            LogOpenGaveUpDetail(ex, id);
        }
        finally
        {
            lock (_lock)
            {
                _opens.Remove(open);
                if (entry is not null)
                {
                    AdmitLocked(entry); // in the same hold: a sizing sample never sees it as neither opening nor open
                }
            }
            open.Cancellation.Dispose();
        }
        return entry is not null && CompleteAdmission(entry) ? entry : null;
    }

    /// <summary>
    /// One attempt, through the endpoint's circuit breaker when breaking is on (every open goes through here: entries,
    /// growth, replacements, failover warm-ups and probes of a failed endpoint): create, then (optionally) the first health
    /// check, both bounded by <paramref name="cancellationToken"/> (the per-attempt timeout) even if the factory ignores it.
    /// Reports the outcome to the monitor and to failover.
    /// </summary>
    /// <param name="factory">The endpoint.</param>
    /// <param name="cancellationToken">The attempt's token: cancelled by the per-attempt timeout or by <paramref name="stop"/>.</param>
    /// <param name="stop">The open's own token: when it is cancelled the attempt is abandoned, not failed.</param>
    /// <exception cref="CircuitOpenException">The endpoint's breaker is open: the factory was not called.</exception>
    private Task<(T Connection, TimeSpan? Rtt)> OpenOnceAsync(IConnectionFactory<T> factory, CancellationToken cancellationToken, CancellationToken stop) =>
        GuardOpenAsync(factory, ct => CreateAndCheckAsync(factory, ct, stop), cancellationToken);

    private async Task<(T Connection, TimeSpan? Rtt)> CreateAndCheckAsync(IConnectionFactory<T> factory, CancellationToken cancellationToken, CancellationToken stop)
    {
        long started = _timeProvider.GetTimestamp();
        Task<T> create;
        try
        {
            create = factory.CreateAsync(cancellationToken).AsTask();
        }
#pragma warning disable CA1031 // A factory that throws synchronously fails this attempt like one that throws later.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            create = Task.FromException<T>(ex);
        }

        T connection;
        try
        {
            connection = await create.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (!create.IsCompleted)
            {
                CloseWhenCreated(factory, create); // a create that ignores its token must not leak what it returns late
            }
            throw AttemptFailed(factory, "create", ex, started, cancellationToken, stop);
        }

        TimeSpan? rtt = null;
        if (_validateOnCreate)
        {
            try
            {
                rtt = await CheckAsync(factory, connection, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await CloseQuietlyAsync(factory, connection, "failed its first health check").ConfigureAwait(false);
                throw AttemptFailed(factory, "first health check", ex, started, cancellationToken, stop);
            }
        }

        Interlocked.Exchange(ref SucceededFlag(factory), 0);
        _monitor.OnConnectionAttempt(new ConnectionAttemptEvent(factory.Endpoint, AttemptOutcome.Success, _timeProvider.GetElapsedTime(started), null, Inbound: false));
        Failover?.RecordSuccess(factory);
        return (connection, rtt);
    }

    private static async Task<TimeSpan> CheckAsync(IConnectionFactory<T> factory, T connection, CancellationToken cancellationToken)
    {
        Task<TimeSpan> check;
        try
        {
            check = factory.CheckHealthAsync(connection, cancellationToken).AsTask();
        }
#pragma warning disable CA1031 // Thrown synchronously or later, it is the same failed check.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            check = Task.FromException<TimeSpan>(ex);
        }
        try
        {
            return await check.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!check.IsCompleted)
            {
                _ = check.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Records a failed attempt and returns what to throw: the caller's or the timeout's cancellation as is (the reconnector
    /// maps a timeout itself), a permanent error as is, anything else wrapped in a retried <see cref="ConnectionOpenException"/>.
    /// </summary>
    private Exception AttemptFailed(IConnectionFactory<T> factory, string stage, Exception error, long started, CancellationToken attempt, CancellationToken stop)
    {
        if (stop.IsCancellationRequested)
        {
            return error is OperationCanceledException ? error : new OperationCanceledException("The open was abandoned.", error, stop);
        }
        bool timedOut = attempt.IsCancellationRequested && error is OperationCanceledException;
        Exception reported = timedOut
            ? new TimeoutException($"Opening a connection to {factory.Endpoint} did not finish within the connection timeout ({stage}).", error)
            : error is IPermanentConnectionError ? error : new ConnectionOpenException(factory.Endpoint, stage, error);
        Interlocked.Increment(ref _openFailures);
        _monitor.OnConnectionAttempt(new ConnectionAttemptEvent(
            factory.Endpoint, timedOut ? AttemptOutcome.Timeout : AttemptOutcome.Failure, _timeProvider.GetElapsedTime(started),
            timedOut ? "timeout" : (error.InnerException ?? error).GetType().Name, Inbound: false));
        Failover?.RecordFailure(factory, reported);
        return timedOut ? error : reported;
    }

    /// <summary>
    /// Closes, once it arrives, the connection of a create that was abandoned (timed out) but finishes later. Not tracked:
    /// disposal must not wait for a factory that may never return; the continuation cannot fault (CloseQuietlyAsync logs).
    /// </summary>
    private void CloseWhenCreated(IConnectionFactory<T> factory, Task<T> create) =>
        _ = create.ContinueWith(
            t => t.IsCompletedSuccessfully ? CloseQuietlyAsync(factory, t.Result, "created after its attempt had timed out") : Task.CompletedTask,
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();

    private async Task CloseQuietlyAsync(IConnectionFactory<T> factory, T connection, string reason)
    {
        try
        {
            await factory.CloseAsync(connection).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Closing a connection we discard must not fail the pool.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogCloseFailed(ex, factory.Endpoint, reason);
        }
    }

    private void TrackLocked(Task task)
    {
        _background.RemoveAll(static t => t.IsCompleted);
        _background.Add(task);
    }

    /// <summary>An open under way: for which endpoint, and how to abandon it.</summary>
    [DebuggerDisplay("{Factory.Endpoint}")]
    private sealed class PendingOpen(IConnectionFactory<T> factory, CancellationTokenSource cancellation)
    {
        public IConnectionFactory<T> Factory { get; } = factory;

        public CancellationTokenSource Cancellation { get; } = cancellation;
    }
}
