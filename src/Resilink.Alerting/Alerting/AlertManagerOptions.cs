using Microsoft.Extensions.Options;

namespace Resilink.Alerting;

/// <summary>
/// Cooldown, memory bounds and sink queues of an <see cref="AlertManager"/>. Mutable; call <see cref="Validate"/> to
/// check every setting at once (the manager does).
/// </summary>
public sealed class AlertManagerOptions
{
    /// <summary>
    /// How long after an alert was sent a repeat of the same rule and service is only folded into it (count + 1,
    /// last seen updated) instead of being sent again; a repeat after it is sent again as a reminder. Not negative;
    /// a rule's own <see cref="AlertRule.Cooldown"/> wins. Default: 5 min.
    /// </summary>
    public TimeSpan DefaultCooldown { get; set; } = AlertConstants.DefaultCooldown;

    /// <summary>
    /// Most active (unresolved) alerts kept. When full, a new alert takes the place of the least severe, oldest one if
    /// that one is less severe; otherwise it is dropped. Both count as dropped alerts. 1..1,000,000. Default: 1000.
    /// </summary>
    public int MaxActiveAlerts { get; set; } = AlertConstants.DefaultMaxActiveAlerts;

    /// <summary>Most resolved alerts kept in the history, oldest dropped first; 0..1,000,000. Default: 1000.</summary>
    public int MaxHistory { get; set; } = AlertConstants.DefaultMaxHistory;

    /// <summary>How long a resolved alert stays in the history; positive. Default: 24 h.</summary>
    public TimeSpan HistoryRetention { get; set; } = AlertConstants.DefaultHistoryRetention;

    /// <summary>
    /// Alerts waiting for each sink; when full, the oldest waiting one is dropped (and counted) so raising never
    /// blocks. 1..1,000,000. Default: 1024.
    /// </summary>
    public int SinkQueueCapacity { get; set; } = AlertConstants.DefaultSinkQueueCapacity;

    /// <summary>How long disposing waits for the sinks to send what is queued before cancelling them; not negative. Default: 5 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = AlertConstants.DefaultDrainTimeout;

    /// <summary>Checks every setting and throws one exception that names each bad one.</summary>
    /// <exception cref="OptionsValidationException">At least one setting is invalid; <see cref="OptionsValidationException.Failures"/> lists them all.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (DefaultCooldown < TimeSpan.Zero)
        {
            errors.Add($"{nameof(DefaultCooldown)} must not be negative (was {DefaultCooldown}).");
        }
        InRange(MaxActiveAlerts, 1, nameof(MaxActiveAlerts));
        InRange(MaxHistory, 0, nameof(MaxHistory));
        InRange(SinkQueueCapacity, 1, nameof(SinkQueueCapacity));
        if (HistoryRetention <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(HistoryRetention)} must be positive (was {HistoryRetention}).");
        }
        if (DrainTimeout < TimeSpan.Zero)
        {
            errors.Add($"{nameof(DrainTimeout)} must not be negative (was {DrainTimeout}).");
        }
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(AlertManagerOptions), errors);
        }

        void InRange(int value, int min, string name)
        {
            if (value < min || value > 1_000_000)
            {
                errors.Add($"{name} must be between {min} and 1000000 (was {value}).");
            }
        }
    }
}
