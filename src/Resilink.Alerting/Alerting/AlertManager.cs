using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Resilink.Alerting;

/// <summary>
/// Receives alerts, folds repeats of the same rule and service into one (a count, within a cooldown), keeps the active
/// alerts and a history of resolved ones within fixed bounds, and routes each alert by level to its sinks. Sending
/// happens on one background sender per sink behind a bounded queue, so <see cref="Raise"/> never waits for a sink.
/// Thread-safe.
/// </summary>
public sealed partial class AlertManager : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly AlertCounters _counters = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private AlertRoute[] _routes = [];
    private AlertRule[] _rules = [];
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="AlertManager"/> class.</summary>
    /// <param name="options">The settings; validated here. Null uses the defaults.</param>
    /// <param name="timeProvider">The clock of cooldowns, timestamps and retention; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Where failed deliveries, failing rules and drops are logged; none when null.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public AlertManager(AlertManagerOptions? options = null, TimeProvider? timeProvider = null, ILogger<AlertManager>? logger = null)
    {
        Options = options ?? new AlertManagerOptions();
        Options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Gets the settings.</summary>
    public AlertManagerOptions Options { get; }

    /// <summary>Gets the counters since creation.</summary>
    public AlertManagerStatistics Statistics => _counters.Snapshot();

    /// <summary>Gets the deliveries queued for or in progress at the sinks, at most the sinks × (<see cref="AlertManagerOptions.SinkQueueCapacity"/> + 1).</summary>
    public int PendingDeliveries => Volatile.Read(ref _routes).Sum(r => r.Pending);

    /// <summary>Adds a rule that <see cref="Evaluate"/> checks against every service's metrics.</summary>
    /// <param name="rule">The rule; its <see cref="AlertRule.Condition"/> is required and its name must be new.</param>
    /// <exception cref="ArgumentException">The rule has no condition or its name is taken.</exception>
    public void AddRule(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Condition is null)
        {
            throw new ArgumentException($"Rule {rule.Name} has no condition; raise it directly with Raise instead.", nameof(rule));
        }

        lock (_lock)
        {
            if (_rules.Any(r => r.Name == rule.Name))
            {
                throw new ArgumentException($"A rule named {rule.Name} was already added.", nameof(rule));
            }

            _rules = [.. _rules, rule];
        }
    }

    /// <summary>Sends every alert of <paramref name="minimumLevel"/> or above, firing and resolved, to <paramref name="sink"/> from now on.</summary>
    /// <param name="sink">The sink.</param>
    /// <param name="minimumLevel">The least severe level it receives. Default: <see cref="MonitoringLevel.Info"/> (all).</param>
    /// <exception cref="ObjectDisposedException">The manager was disposed.</exception>
    public void AddSink(IAlertSink sink, MonitoringLevel minimumLevel = MonitoringLevel.Info)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var route = new AlertRoute(sink, minimumLevel, Options.SinkQueueCapacity, _counters, _logger);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            route.Start(_stopping.Token);
            _routes = [.. _routes, route];
        }
    }

    /// <summary>Waits until every delivery queued so far has been sent, has failed or was dropped.</summary>
    /// <param name="cancellationToken">Stops the wait (not the deliveries).</param>
    /// <returns>A task that completes when the sinks are idle.</returns>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(Volatile.Read(ref _routes).Select(r => r.WhenIdle())).WaitAsync(cancellationToken);

    /// <summary>
    /// Stops taking alerts, lets the sinks send what is queued for up to <see cref="AlertManagerOptions.DrainTimeout"/>,
    /// then cancels them. The active alerts and the history stay readable.
    /// </summary>
    /// <returns>A task that completes when every sender has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        AlertRoute[] routes;
        lock (_lock)
        {
            if (_disposed != 0)
            {
                return;
            }

            _disposed = 1;
            routes = _routes;
        }

        foreach (AlertRoute route in routes)
        {
            route.Complete();
        }

        Task senders = Task.WhenAll(routes.Select(r => r.Sender));
        try
        {
            await senders.WaitAsync(Options.DrainTimeout, _timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogDrainTimedOut(Options.DrainTimeout, routes.Sum(r => r.Pending));
            await _stopping.CancelAsync().ConfigureAwait(false);
            await senders.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
