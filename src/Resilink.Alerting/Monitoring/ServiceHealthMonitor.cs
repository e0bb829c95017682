using Resilink.Threading;
using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Resilink.Alerting;

namespace Resilink.Monitoring;

/// <summary>
/// Checks registered services every <see cref="ServiceHealthOptions.CheckInterval"/> — custom delegates or
/// <see cref="IHealthCheck"/>s — records per-service metrics (status, error rate, response time, process resources,
/// connection count) in a history bounded by age and count, derives each check's <see cref="MonitoringLevel"/> from the
/// thresholds, and raises and resolves alerts in an <see cref="AlertManager"/>. A check that throws or hangs is a
/// Critical result, never a failure of the monitor. Thread-safe.
/// </summary>
public sealed partial class ServiceHealthMonitor : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, MonitoredService> _services = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly IResourceReader _resources;
    private readonly ProcessResourceReader? _ownedReader;
    private readonly ILogger _logger;
    private readonly AlertRule[] _rules;

    /// <summary>Initializes a new instance of the <see cref="ServiceHealthMonitor"/> class; call <see cref="Start"/> for the periodic checks.</summary>
    /// <param name="alerts">Where alerts are raised and resolved.</param>
    /// <param name="options">The settings; validated here. Null uses the defaults.</param>
    /// <param name="timeProvider">The clock of intervals, timeouts, response times and retention; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="resources">Reads process resource use; the current process when null.</param>
    /// <param name="logger">Where failed checks and level changes are logged; none when null.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public ServiceHealthMonitor(
        AlertManager alerts,
        ServiceHealthOptions? options = null,
        TimeProvider? timeProvider = null,
        IResourceReader? resources = null,
        ILogger<ServiceHealthMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        Options = options ?? new ServiceHealthOptions();
        Options.Validate();
        Alerts = alerts;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _resources = resources ?? (_ownedReader = new ProcessResourceReader(_timeProvider));
        _periodic = new PeriodicRounds(Options.CheckInterval, _timeProvider, ct => CheckAllAsync(ct));
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _rules = ServiceHealthRules.Create(Options);
    }

    /// <summary>Gets the settings.</summary>
    public ServiceHealthOptions Options { get; }

    /// <summary>Gets the alert manager the monitor raises into.</summary>
    public AlertManager Alerts { get; }

    /// <summary>Gets the built-in rules, most severe first; their names are in <see cref="ServiceHealthConstants"/>.</summary>
    public IReadOnlyList<AlertRule> Rules => _rules;

    /// <summary>Gets the ids of the registered services.</summary>
    public IReadOnlyCollection<string> Services => [.. _services.Keys];

    /// <summary>Registers a service checked by a delegate.</summary>
    /// <param name="serviceId">Unique id of the service.</param>
    /// <param name="check">The check; gets a token cancelled at <see cref="ServiceHealthOptions.CheckTimeout"/>.</param>
    /// <param name="connectionCount">Reads the service's connection count at each check; null for none.</param>
    /// <exception cref="ArgumentException">The id is empty or already registered.</exception>
    public void AddService(string serviceId, Func<CancellationToken, Task<ServiceCheckResult>> check, Func<int>? connectionCount = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        ArgumentNullException.ThrowIfNull(check);
        if (!_services.TryAdd(serviceId, new MonitoredService(serviceId, check, connectionCount, Options)))
        {
            throw new ArgumentException($"Service {serviceId} is already registered.", nameof(serviceId));
        }
    }

    /// <summary>Registers a service checked by an <see cref="IHealthCheck"/> (its registration is named after the service, failure status Unhealthy).</summary>
    /// <param name="serviceId">Unique id of the service.</param>
    /// <param name="check">The health check.</param>
    /// <param name="connectionCount">Reads the service's connection count at each check; null for none.</param>
    /// <exception cref="ArgumentException">The id is empty or already registered.</exception>
    public void AddService(string serviceId, IHealthCheck check, Func<int>? connectionCount = null)
    {
        ArgumentNullException.ThrowIfNull(check);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration(serviceId, check, HealthStatus.Unhealthy, tags: null) };
        AddService(serviceId, async cancellationToken =>
        {
            HealthCheckResult result = await check.CheckHealthAsync(context, cancellationToken).ConfigureAwait(false);
            return new ServiceCheckResult(result.Status, result.Description) { Exception = result.Exception };
        }, connectionCount);
    }

    /// <summary>Stops checking a service and resolves its active built-in alerts. Its history is forgotten.</summary>
    /// <param name="serviceId">The service.</param>
    /// <returns>False if it was not registered.</returns>
    public bool RemoveService(string serviceId)
    {
        if (serviceId is null || !_services.TryRemove(serviceId, out _))
        {
            return false;
        }

        foreach (AlertRule rule in _rules)
        {
            Alerts.Resolve(rule.Name, serviceId);
        }

        return true;
    }

    /// <summary>Gets the latest metrics of a service, or null if it is unknown or not checked yet.</summary>
    /// <param name="serviceId">The service.</param>
    /// <returns>The metrics or null.</returns>
    public ServiceHealthMetrics? GetLatest(string serviceId) =>
        serviceId is not null && _services.TryGetValue(serviceId, out MonitoredService? service) ? service.Latest : null;

    /// <summary>Gets a service's metrics within <see cref="ServiceHealthOptions.MetricsRetention"/> (at most <see cref="ServiceHealthOptions.MaxHistoryPerService"/>), oldest first.</summary>
    /// <param name="serviceId">The service.</param>
    /// <returns>A new list; empty for an unknown service.</returns>
    public IReadOnlyList<ServiceHealthMetrics> GetHistory(string serviceId) =>
        serviceId is not null && _services.TryGetValue(serviceId, out MonitoredService? service)
            ? service.History(_timeProvider.GetUtcNow(), Options.MetricsRetention, Options.MaxHistoryPerService)
            : [];
}
