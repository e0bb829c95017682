using Resilink.Monitoring;

namespace Resilink.Alerting;

// Rules with a condition, checked against each service's metrics as they are recorded.
public sealed partial class AlertManager
{
    /// <summary>
    /// Checks every rule added with <see cref="AddRule"/> against <paramref name="metrics"/>: a rule whose condition
    /// holds is raised for the service (folding into its active alert), one whose condition no longer holds is
    /// resolved. A condition that throws is logged and skipped.
    /// </summary>
    /// <param name="metrics">One service's latest metrics.</param>
    /// <returns>The alerts that fired (after folding); empty when none did.</returns>
    public IReadOnlyList<Alert> Evaluate(ServiceHealthMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        List<Alert>? fired = null;
        foreach (AlertRule rule in Volatile.Read(ref _rules))
        {
            bool holds;
            try
            {
                holds = rule.Condition!(metrics);
            }
#pragma warning disable CA1031 // A broken user rule must not stop the other rules or the monitor.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogRuleFailed(ex, rule.Name, metrics.ServiceId);
                continue;
            }

            if (!holds)
            {
                Resolve(rule.Name, metrics.ServiceId);
            }
            else if (Raise(rule, metrics.ServiceId, MessageOf(rule, metrics)) is { } alert)
            {
                (fired ??= []).Add(alert);
            }
        }

        return fired ?? (IReadOnlyList<Alert>)[];
    }

    private string? MessageOf(AlertRule rule, ServiceHealthMetrics metrics)
    {
        try
        {
            return rule.Message?.Invoke(metrics);
        }
#pragma warning disable CA1031 // A broken message falls back to the default one.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRuleFailed(ex, rule.Name, metrics.ServiceId);
            return null;
        }
    }
}
