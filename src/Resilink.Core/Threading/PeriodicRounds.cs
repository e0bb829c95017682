namespace Resilink.Threading;

/// <summary>
/// Starts a round every interval on a <see cref="TimeProvider"/>. Rounds do not wait for each other, so one slow round
/// (a check waiting out its timeout) never delays the next. <see cref="StopAsync"/> cancels and waits for the timer loop
/// and for every round still in flight. Shared by the connection and service health monitors.
/// </summary>
internal sealed class PeriodicRounds(TimeSpan interval, TimeProvider timeProvider, Func<CancellationToken, Task> round) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _rounds = [];
    private Task _loop = Task.CompletedTask;
    private int _started;
    private int _stopped;

    public bool IsStopped => Volatile.Read(ref _stopped) != 0;

    /// <summary>Starts the timer (idempotent); the first round runs one interval from now.</summary>
    public void Start(object owner)
    {
        ObjectDisposedException.ThrowIf(IsStopped, owner);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _loop = RunAsync(_stopping.Token);
        }
    }

    /// <summary>Stops the timer and waits for the rounds in flight (they see their token cancelled).</summary>
    /// <returns>False if it was already stopped.</returns>
    public async ValueTask<bool> StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return false;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        Task[] rounds;
        lock (_rounds)
        {
            rounds = [.. _rounds];
        }

        await Task.WhenAll(rounds).ConfigureAwait(false);
        _stopping.Dispose();
        return true;
    }

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                Task started = RoundAsync(stopping);
                lock (_rounds)
                {
                    _rounds.RemoveAll(r => r.IsCompleted);
                    _rounds.Add(started);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task RoundAsync(CancellationToken stopping)
    {
        try
        {
            await round(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped mid-round: the interrupted work is not recorded.
        }
    }
}
