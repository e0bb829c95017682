namespace Resilink.Health;

// The proactive side: a round every interval (PeriodicRounds) pings each connection over itself. Rounds do not wait
// for each other, so one black-holed connection (its ping waiting out the timeout) never delays the checks of the others.
public sealed partial class HealthMonitor
{
    /// <summary>
    /// Runs one check round now: pings every monitored connection whose previous ping has ended (at most
    /// <see cref="HealthOptions.MaxConcurrentPings"/> at once), each with <see cref="HealthOptions.PingTimeout"/>,
    /// records the outcomes and evaluates each connection as its answer (or timeout) arrives. The periodic rounds call
    /// this; tests and tools may call it directly.
    /// </summary>
    /// <param name="cancellationToken">Stops the round; pings in flight are abandoned and not counted.</param>
    /// <returns>A task that completes when every ping of the round has ended.</returns>
    public Task CheckAllAsync(CancellationToken cancellationToken = default)
    {
        var checks = new List<Task>(_tracked.Count);
        foreach (MonitoredConnection entry in _tracked.Values)
        {
            if (entry.TryBeginPing())
            {
                checks.Add(CheckOneAsync(entry, cancellationToken));
            }
        }

        return Task.WhenAll(checks);
    }

    private async Task CheckOneAsync(MonitoredConnection entry, CancellationToken cancellationToken)
    {
        ConnectionHealth health = entry.Health;
        try
        {
            await _pingSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            entry.EndPing();
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(Options.PingTimeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                TimeSpan rtt = await entry.Connection.PingAsync(linked.Token).ConfigureAwait(false);
                health.RecordPingSuccess(rtt);
                entry.Connection.Stats.RecordPing(rtt); // what the latency-based strategies read
                _reporter.OnRttSample(new(health.ConnectionId, health.PeerKey, rtt));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // the monitor is stopping: this round does not count
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                health.RecordPingFailure("ping_timeout", $"No ping answer within {Options.PingTimeout.TotalMilliseconds:0} ms.");
                entry.Connection.Stats.RecordFailure(entry.Connection.Stats.GetTimestamp());
            }
#pragma warning disable CA1031 // Any failure of the probe is a failed check of this connection, not of the monitor.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                health.RecordPingFailure(ErrorTypeOf(ex), ex.Message);
                entry.Connection.Stats.RecordFailure(entry.Connection.Stats.GetTimestamp());
                LogPingFailed(ex, health.ConnectionId);
            }

            if (_tracked.ContainsKey(entry.Connection))
            {
                health.ObserveByteTotals(entry.Connection.BytesReceived, entry.Connection.BytesSent);
                Evaluate(entry.Connection, health);
            }
        }
        finally
        {
            _pingSlots.Release();
            entry.EndPing();
        }
    }

    private static string ErrorTypeOf(Exception ex) => ex switch
    {
        TimeoutException => "ping_timeout",
        IOException => "ping_io_error",
        ObjectDisposedException => "connection_closed",
        _ => ex.GetType().Name,
    };
}
