namespace Resilink.Alerting;

/// <summary>
/// Where alerts go: a log, a webhook, Prometheus Alertmanager. <see cref="AlertManager"/> calls a sink from one
/// background sender per sink, one alert at a time, never on the path of the code that raised the alert.
/// </summary>
public interface IAlertSink
{
    /// <summary>Gets a short name for logs and statistics.</summary>
    string Name { get; }

    /// <summary>Delivers one alert: firing (<see cref="Alert.IsResolved"/> false, possibly a reminder) or resolved.</summary>
    /// <param name="alert">The alert snapshot.</param>
    /// <param name="cancellationToken">Cancelled when the manager shuts down after its drain timeout; a sink must honour it, or it delays the shutdown.</param>
    /// <returns>A task that completes when delivered; a fault counts as a failed delivery and is logged.</returns>
    ValueTask SendAsync(Alert alert, CancellationToken cancellationToken);
}
