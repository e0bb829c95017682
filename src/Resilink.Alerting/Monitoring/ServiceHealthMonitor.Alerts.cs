using Resilink.Alerting;

namespace Resilink.Monitoring;

// What surrounds a check: the resource sample, the connection counter, and the alerts that follow from the metrics.
public sealed partial class ServiceHealthMonitor
{
    /// <summary>
    /// Raises each built-in rule whose condition holds (folding into its active alert) and resolves the others, then
    /// lets the alert manager check its own rules. A disposed alert manager is ignored: the metrics are still recorded.
    /// </summary>
    private void RaiseAlerts(ServiceHealthMetrics metrics)
    {
        try
        {
            foreach (AlertRule rule in _rules)
            {
                if (rule.Condition!(metrics))
                {
                    Alerts.Raise(rule, metrics.ServiceId, rule.Message!(metrics));
                }
                else
                {
                    Alerts.Resolve(rule.Name, metrics.ServiceId);
                }
            }

            Alerts.Evaluate(metrics);
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: the alert manager went first.
        }
    }

    private ResourceUsage ReadResources()
    {
        try
        {
            return _resources.Read();
        }
#pragma warning disable CA1031 // A failing reader leaves the resources unknown (0), it does not fail the checks.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogResourceReadFailed(ex);
            return default;
        }
    }

    private int? ReadConnectionCount(MonitoredService service)
    {
        if (service.ConnectionCount is null)
        {
            return null;
        }

        try
        {
            return service.ConnectionCount();
        }
#pragma warning disable CA1031 // A failing counter leaves the count unknown, it does not fail the check.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogConnectionCountFailed(ex, service.Id);
            return null;
        }
    }
}
