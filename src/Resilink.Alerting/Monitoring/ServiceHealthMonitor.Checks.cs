using Microsoft.Extensions.Diagnostics.HealthChecks;
using Resilink.Alerting;

namespace Resilink.Monitoring;

// One check of one service: run it under the timeout, turn every failure into an Unhealthy result, measure, derive the
// level, record, alert.
public sealed partial class ServiceHealthMonitor
{
    /// <summary>
    /// Runs one round now: checks every service whose previous periodic check has ended, all at once, with one
    /// resource sample shared by the round. The periodic rounds call this; tests and tools may call it directly.
    /// </summary>
    /// <param name="cancellationToken">Stops the round; interrupted checks are not recorded.</param>
    /// <returns>A task that completes when every check of the round has been recorded.</returns>
    public async Task CheckAllAsync(CancellationToken cancellationToken = default)
    {
        ResourceUsage sample = ReadResources();
        var checks = new List<Task>(_services.Count);
        foreach (MonitoredService service in _services.Values)
        {
            if (service.TryBeginCheck())
            {
                checks.Add(CheckClaimedAsync(service, sample, cancellationToken));
            }
        }

        await Task.WhenAll(checks).ConfigureAwait(false);
    }

    /// <summary>Checks one service now (even while a periodic check of it runs), records the metrics and raises or resolves its alerts.</summary>
    /// <param name="serviceId">The service.</param>
    /// <param name="cancellationToken">Stops the check; it is then not recorded.</param>
    /// <returns>The recorded metrics.</returns>
    /// <exception cref="KeyNotFoundException">No such service.</exception>
    public Task<ServiceHealthMetrics> CheckServiceAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(serviceId);
        return _services.TryGetValue(serviceId, out MonitoredService? service)
            ? CheckOneAsync(service, ReadResources(), cancellationToken)
            : throw new KeyNotFoundException($"Service {serviceId} is not registered.");
    }

    private async Task CheckClaimedAsync(MonitoredService service, ResourceUsage sample, CancellationToken cancellationToken)
    {
        try
        {
            await CheckOneAsync(service, sample, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            service.EndCheck();
        }
    }

    private async Task<ServiceHealthMetrics> CheckOneAsync(MonitoredService service, ResourceUsage sample, CancellationToken cancellationToken)
    {
        long start = _timeProvider.GetTimestamp();
        using var timeout = new CancellationTokenSource(Options.CheckTimeout, _timeProvider); // armed before the check runs
        await Task.Yield(); // a synchronous check must not hold up the round (or the caller) while it runs
        (ServiceCheckResult result, string? error) = await RunCheckAsync(service, timeout, cancellationToken).ConfigureAwait(false);
        bool failed = result.Status == HealthStatus.Unhealthy;
        double windowRate = service.RecordOutcome(failed);
        var metrics = new ServiceHealthMetrics
        {
            ServiceId = service.Id,
            Timestamp = _timeProvider.GetUtcNow(),
            Status = result.Status,
            ErrorRate = result.ErrorRate is { } rate && double.IsFinite(rate) ? Math.Clamp(rate, 0.0, 1.0) : windowRate,
            ResponseTime = result.ResponseTime ?? _timeProvider.GetElapsedTime(start),
            CpuPercent = sample.CpuPercent,
            WorkingSetBytes = sample.WorkingSetBytes,
            GcHeapBytes = sample.GcHeapBytes,
            ConnectionCount = ReadConnectionCount(service),
            Description = result.Description,
            Error = error,
        };
        metrics = metrics with { Level = _rules.Where(r => r.Condition!(metrics)).Select(r => r.Level).DefaultIfEmpty(MonitoringLevel.Info).Max() };
        ServiceHealthMetrics? previous = service.Record(metrics, Options.MetricsRetention, Options.MaxHistoryPerService);
        // A service starts at Info: a first check at Info is not a change, and "Info -> Info" is not news.
        MonitoringLevel previousLevel = previous?.Level ?? MonitoringLevel.Info;
        if (previousLevel != metrics.Level)
        {
            LogLevelChanged(service.Id, previousLevel, metrics.Level, metrics.Status);
        }

        RaiseAlerts(metrics);
        return metrics;
    }

    private async Task<(ServiceCheckResult Result, string? Error)> RunCheckAsync(
        MonitoredService service, CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        Task<ServiceCheckResult>? check = null;
        try
        {
            check = service.Check(linked.Token);
            ServiceCheckResult result = await check.WaitAsync(linked.Token).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The check returned no result.");
            return (result, result.Exception is { } e ? Describe(e) : null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // the caller is stopping: this check does not count
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            string error = $"TimeoutException: no answer within {Options.CheckTimeout.TotalSeconds:0.###} s";
            LogCheckFailed(null, service.Id, error);
            return (ServiceCheckResult.Unhealthy("The check timed out."), error);
        }
#pragma warning disable CA1031 // Whatever the check throws is the service's failure (Critical), never the monitor's.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogCheckFailed(ex, service.Id, Describe(ex));
            return (ServiceCheckResult.Unhealthy("The check threw.", ex), Describe(ex));
        }
        finally
        {
            if (check is { IsCompleted: false })
            {
                // Abandoned (timed out, ignoring its token): observe its end so a late fault is not unobserved.
                _ = check.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
    }

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";
}
