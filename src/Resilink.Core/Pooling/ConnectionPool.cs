using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Resilink.Balancing;
using Resilink.Health;
using Resilink.Monitoring;
using Resilink.Resilience;
using Resilink.Threading;

namespace Resilink.Pooling;

/// <summary>
/// Keeps a set of connections of any type healthy and lends them out: every connection is health-tracked by a
/// <see cref="Health.HealthMonitor"/> (pinged through <see cref="IConnectionFactory{T}.CheckHealthAsync"/>), leases go to the
/// connection the configured <see cref="ILoadBalancingStrategy"/> picks, sick connections are drained and replaced through a
/// <see cref="Resilience.Reconnector"/>, the size adapts to the load (<see cref="PoolSizingOptions"/>), and with a secondary
/// factory a <see cref="FailoverController{TEndpoint}"/> moves the pool between the two endpoints. Thread-safe.
/// </summary>
/// <typeparam name="T">The connection type: a Redis multiplexer, a database connection, a broker channel, ….</typeparam>
/// <example>
/// <code>
/// await using var pool = new ConnectionPool&lt;IConnectionMultiplexer&gt;(options, new RedisFactory("10.0.0.1:6379"), new RedisFactory("10.0.0.2:6379"));
/// await pool.StartAsync();
/// await using var lease = await pool.AcquireAsync(ct);
/// try { await lease.Connection.GetDatabase().StringSetAsync("k", "v"); }
/// catch (RedisConnectionException ex) { lease.ReportFailure(ex, connectionBroken: true); throw; }
/// </code>
/// </example>
/// <remarks>
/// <para>Lifecycle: the constructor starts the health checks and the sizing samples; connections open lazily (the first
/// sample refills to <see cref="ConnectionPoolOptions.MinSize"/>, an acquirer that finds nothing free opens one) unless
/// <see cref="StartAsync"/> warms the pool up first. <see cref="DisposeAsync"/> closes every connection exactly once.</para>
/// <para>Every connection is opened through the reconnector (<see cref="ConnectionPoolOptions.Reconnect"/>): the first
/// ones, growth, replacements and failover warm-ups alike, each attempt bounded by
/// <see cref="ConnectionPoolOptions.ConnectionTimeout"/> even when the factory ignores its token. Any exception of the
/// factory is retried (wrapped in <see cref="ConnectionOpenException"/>) unless it is an <see cref="IPermanentConnectionError"/>.</para>
/// </remarks>
public sealed partial class ConnectionPool<T> : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly int _minSize;
    private readonly int _maxSize;
    private readonly int _maxLeases;
    private readonly TimeSpan _acquireTimeout;
    private readonly bool _validateOnCreate;
    private readonly TimeSpan _connectionTimeout;
    private readonly PoolSizingOptions _sizing;
    private readonly TimeSpan _drainTimeout;
    private readonly TimeSpan _probeInterval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IConnectionMonitor _monitor;
    private readonly ILoadBalancingStrategy _strategy;
    private readonly IConnectionFactory<T> _primary;
    private readonly IConnectionFactory<T>? _secondary;
    private readonly LeaseTicketPool<T> _tickets;
    private readonly PeriodicRounds _sizingRounds;
    private readonly CancellationTokenSource _disposing = new();

    // Every open entry, active or draining, and the active ones of the current endpoint (copy-on-write). Under _lock.
    private readonly List<PoolEntry<T>> _entries = [];
    private PoolEntry<T>[] _routable = [];
    private IConnectionFactory<T>? _current;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="ConnectionPool{T}"/> class and starts its health checks and sizing samples.</summary>
    /// <param name="options">The settings; validated and read now (later changes have no effect).</param>
    /// <param name="primary">The factory of the preferred endpoint.</param>
    /// <param name="secondary">The factory of the fallback endpoint, or null for a pool without failover; must not be <paramref name="primary"/>.</param>
    /// <param name="timeProvider">The clock of every timeout, backoff, sample and health check; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Where the pool, its health monitor, reconnector and failover controller log; none when null.</param>
    /// <param name="connectionMonitor">Where utilisation, connection attempts, round trips and status changes are reported; none when null.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    /// <exception cref="ArgumentException"><paramref name="secondary"/> is <paramref name="primary"/>.</exception>
    public ConnectionPool(
        ConnectionPoolOptions options,
        IConnectionFactory<T> primary,
        IConnectionFactory<T>? secondary = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IConnectionMonitor? connectionMonitor = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(primary);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger<ConnectionPool<T>>();
        _monitor = connectionMonitor ?? NullConnectionMonitor.Instance;
        Name = options.Name ?? primary.Endpoint;
        (_minSize, _maxSize, _maxLeases) = (options.MinSize, options.MaxSize, options.MaxLeasesPerConnection);
        (_acquireTimeout, _validateOnCreate, _connectionTimeout) = (options.AcquireTimeout, options.ValidateOnCreate, options.ConnectionTimeout);
        _sizing = new PoolSizingOptions
        {
            Enabled = options.Sizing.Enabled,
            Interval = options.Sizing.Interval,
            GrowUtilization = options.Sizing.GrowUtilization,
            IdleTimeout = options.Sizing.IdleTimeout,
        };
        _drainTimeout = options.Health.DrainTimeout;
        _probeInterval = options.Health.HealthCheckInterval;
        _strategy = LoadBalancingStrategies.Create(options.LoadBalancingStrategy, _timeProvider);
        _tickets = new LeaseTicketPool<T>((int)Math.Clamp((long)options.MaxSize * options.MaxLeasesPerConnection, 16, 1024));
        (_primary, _secondary, _current) = (primary, secondary, primary);

        HealthMonitor = new HealthMonitor(options.Health, _timeProvider, loggerFactory.CreateLogger<HealthMonitor>(), _monitor);
        HealthMonitor.StatusChanged += OnHealthStatusChanged;
        Reconnector = new Reconnector(options.Reconnect, _timeProvider, logger: loggerFactory.CreateLogger<Reconnector>(), monitor: _monitor);
        if (options.CircuitBreaker.Enabled)
        {
            CircuitBreakers = new CircuitBreakerRegistry(
                options.CircuitBreaker, _timeProvider, _monitor, loggerFactory.CreateLogger<CircuitBreakerRegistry>());
        }
        if (secondary is not null)
        {
            Failover = new FailoverController<IConnectionFactory<T>>(
                primary, secondary, options.Failover, WarmUpAsync, _timeProvider, loggerFactory.CreateLogger<FailoverController<IConnectionFactory<T>>>(), _monitor);
            Failover.StateChanged += OnFailoverStateChanged;
        }

        _sizingRounds = new PeriodicRounds(_sizing.Interval, _timeProvider, MaintainAsync);
        _sizingRounds.Start(this);
        if (options.Health.EnableHealthMonitoring)
        {
            HealthMonitor.Start();
        }
    }

    /// <summary>Gets the pool's name (<see cref="ConnectionPoolOptions.Name"/>, or the primary endpoint).</summary>
    public string Name { get; }

    /// <summary>Gets the health monitor of the pool's connections (snapshots, passive reports, a check round on demand).</summary>
    public HealthMonitor HealthMonitor { get; }

    /// <summary>Gets the reconnector every connection of the pool is opened through (its events, callbacks and statistics).</summary>
    public Reconnector Reconnector { get; }

    /// <summary>Gets the failover controller between the primary and the secondary factory; null for a pool without a secondary.</summary>
    public FailoverController<IConnectionFactory<T>>? Failover { get; }

    /// <summary>Gets the endpoint new leases go to; null while failover has no endpoint available.</summary>
    public string? CurrentEndpoint => Volatile.Read(ref _current)?.Endpoint;

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);
}
