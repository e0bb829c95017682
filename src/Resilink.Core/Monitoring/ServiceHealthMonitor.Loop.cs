namespace Resilink.Monitoring;

// The periodic side: a round every interval checks each service whose previous check has ended. Rounds do not wait
// for each other, so one hanging check (waiting out its timeout) never delays the checks of the other services.
public sealed partial class ServiceHealthMonitor
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _rounds = [];
    private Task _loop = Task.CompletedTask;
    private int _started;
    private int _disposed;

    /// <summary>Whether a periodic check of the service is in flight, recording included (for tests: its part of a round is over when false).</summary>
    internal bool IsPeriodicCheckInFlight(string serviceId) => _services.TryGetValue(serviceId, out MonitoredService? s) && s.IsChecking;

    /// <summary>Starts the periodic check rounds (idempotent); the first round runs one interval from now.</summary>
    /// <exception cref="ObjectDisposedException">The monitor was disposed.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _loop = RunAsync(_stopping.Token);
        }
    }

    /// <summary>Stops the rounds and waits for the checks in flight (they are cancelled). Metrics stay readable.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
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
        _ownedReader?.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Options.CheckInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                Task round = RoundAsync(stopping);
                lock (_rounds)
                {
                    _rounds.RemoveAll(r => r.IsCompleted);
                    _rounds.Add(round);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private async Task RoundAsync(CancellationToken stopping)
    {
        try
        {
            await CheckAllAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed mid-round: the interrupted checks are not recorded.
        }
    }
}
