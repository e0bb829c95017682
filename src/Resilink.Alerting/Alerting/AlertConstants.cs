namespace Resilink.Alerting;

/// <summary>Defaults of <see cref="AlertManagerOptions"/> and of the HTTP sinks' options.</summary>
public static class AlertConstants
{
    /// <summary>Default <see cref="AlertManagerOptions.MaxActiveAlerts"/>: 1000.</summary>
    public const int DefaultMaxActiveAlerts = 1000;

    /// <summary>Default <see cref="AlertManagerOptions.MaxHistory"/>: 1000.</summary>
    public const int DefaultMaxHistory = 1000;

    /// <summary>Default <see cref="AlertManagerOptions.SinkQueueCapacity"/>: 1024.</summary>
    public const int DefaultSinkQueueCapacity = 1024;

    /// <summary>
    /// Default <see cref="AlertManagerOptions.DefaultCooldown"/>: 5 min, Alertmanager's <c>group_interval</c>: long
    /// enough that a flapping check cannot page every 15 s, short enough that a lasting problem is re-sent.
    /// </summary>
    public static readonly TimeSpan DefaultCooldown = TimeSpan.FromMinutes(5);

    /// <summary>Default <see cref="AlertManagerOptions.HistoryRetention"/>: 24 h.</summary>
    public static readonly TimeSpan DefaultHistoryRetention = TimeSpan.FromHours(24);

    /// <summary>Default <see cref="AlertManagerOptions.DrainTimeout"/>: 5 s.</summary>
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Default <see cref="HttpAlertSinkOptions.Timeout"/>: 5 s per HTTP request.</summary>
    public static readonly TimeSpan DefaultHttpTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Default <see cref="AlertmanagerAlertSinkOptions.FiringTimeout"/>: 20 min, four times the default cooldown
    /// (Prometheus sends <c>endsAt</c> = now + 4 × its resend delay), so one lost reminder does not resolve an alert.
    /// </summary>
    public static readonly TimeSpan DefaultFiringTimeout = TimeSpan.FromMinutes(20);
}
