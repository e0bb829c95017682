using Resilink.Threading;

namespace Resilink.Monitoring;

// The periodic side: a round every interval (PeriodicRounds) checks each service whose previous check has ended.
// Rounds do not wait for each other, so one hanging check (waiting out its timeout) never delays the other services.
public sealed partial class ServiceHealthMonitor
{
    private readonly PeriodicRounds _periodic;

    /// <summary>Whether a periodic check of the service is in flight, recording included (for tests: its part of a round is over when false).</summary>
    internal bool IsPeriodicCheckInFlight(string serviceId) => _services.TryGetValue(serviceId, out MonitoredService? s) && s.IsChecking;

    /// <summary>Starts the periodic check rounds (idempotent); the first round runs one interval from now.</summary>
    /// <exception cref="ObjectDisposedException">The monitor was disposed.</exception>
    public void Start() => _periodic.Start(this);

    /// <summary>Stops the rounds and waits for the checks in flight (they are cancelled). Metrics stay readable.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (await _periodic.StopAsync().ConfigureAwait(false))
        {
            _ownedReader?.Dispose();
        }
    }
}
