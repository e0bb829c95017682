using Resilink.Health;

namespace Resilink.Resilience;

/// <summary>Defaults of <see cref="FailoverOptions"/>.</summary>
public static class FailoverConstants
{
    /// <summary>Default <see cref="FailoverOptions.FailureThreshold"/>: 3 consecutive failures, as <see cref="HealthOptions.FailureThreshold"/>.</summary>
    public const int DefaultFailureThreshold = HealthConstants.DefaultFailureThreshold;

    /// <summary>Default <see cref="FailoverOptions.HealthThreshold"/>: 0.3, as <see cref="HealthOptions.MinHealthThreshold"/> (the score under which a connection is Unhealthy).</summary>
    public const double DefaultHealthThreshold = HealthConstants.DefaultMinHealthThreshold;

    /// <summary>Default <see cref="FailoverOptions.AutomaticFailback"/>: true.</summary>
    public const bool DefaultAutomaticFailback = true;

    /// <summary>Largest accepted <see cref="FailoverOptions.FailureThreshold"/>: 1000.</summary>
    public const int MaximumFailureThreshold = 1000;

    /// <summary>Default <see cref="FailoverOptions.FailbackDelay"/>: 60 s of a healthy primary before failing back.</summary>
    public static readonly TimeSpan DefaultFailbackDelay = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Default <see cref="FailoverOptions.SwitchTimeout"/>: 30 s, as <see cref="ReconnectOptions.ConnectionTimeout"/> — a warm-up
    /// is at most a connection.
    /// </summary>
    public static readonly TimeSpan DefaultSwitchTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Largest accepted <see cref="FailoverOptions.FailbackDelay"/> and <see cref="FailoverOptions.SwitchTimeout"/>: 1 day.</summary>
    public static readonly TimeSpan MaximumDelay = TimeSpan.FromDays(1);
}
