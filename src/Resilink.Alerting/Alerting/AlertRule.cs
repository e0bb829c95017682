using Resilink.Monitoring;

namespace Resilink.Alerting;

/// <summary>
/// What an alert is about: a name (the Alertmanager <c>alertname</c>), a level, and either a condition over a
/// service's metrics (evaluated by <see cref="AlertManager.Evaluate"/>) or none (the rule is raised directly with
/// <see cref="AlertManager.Raise"/>). Immutable once built; share one instance per rule.
/// </summary>
public sealed class AlertRule
{
    /// <summary>Initializes a new instance of the <see cref="AlertRule"/> class.</summary>
    /// <param name="name">Unique name of the rule, e.g. <c>ServiceErrorRateHigh</c>; not empty.</param>
    /// <param name="level">Level of the alerts it raises.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or <paramref name="level"/> is undefined.</exception>
    public AlertRule(string name, MonitoringLevel level)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!Enum.IsDefined(level))
        {
            throw new ArgumentException($"Undefined level {(int)level}.", nameof(level));
        }

        Name = name;
        Level = level;
    }

    /// <summary>Gets the rule's name, the key of its alerts together with the service.</summary>
    public string Name { get; }

    /// <summary>Gets the level of the alerts it raises, which decides their routing.</summary>
    public MonitoringLevel Level { get; }

    /// <summary>
    /// Gets the condition over a service's metrics: true fires (or folds into) the alert, false resolves it. Null
    /// for a rule only raised directly. Must be fast and must not throw. Default: null.
    /// </summary>
    public Func<ServiceHealthMetrics, bool>? Condition { get; init; }

    /// <summary>Gets what the alert message says when the condition fires. Default: null, for "<c>Name</c> on <c>service</c>".</summary>
    public Func<ServiceHealthMetrics, string>? Message { get; init; }

    /// <summary>Gets the cooldown of this rule's alerts; null uses <see cref="AlertManagerOptions.DefaultCooldown"/>. Default: null.</summary>
    public TimeSpan? Cooldown { get; init; }

    /// <summary>Gets labels copied onto every alert of the rule (Alertmanager labels). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets a longer human description (the Alertmanager <c>description</c> annotation). Default: null.</summary>
    public string? Description { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Level})";
}
