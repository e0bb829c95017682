using Microsoft.Extensions.Options;
using Resilink.Balancing;
using Resilink.Health;
using Resilink.Resilience;

namespace Resilink.Pooling;

/// <summary>
/// How a <see cref="ConnectionPool{T}"/> sizes, lends, checks, replaces and fails over its connections. Mutable; call
/// <see cref="Validate"/> (the pool does) to check every setting, the nested ones included, at once.
/// </summary>
public sealed class ConnectionPoolOptions
{
    /// <summary>The pool's name in logs, errors and <see cref="Monitoring.PoolUtilizationEvent"/>s; null for the primary factory's endpoint. Default: null.</summary>
    public string? Name { get; set; }

    /// <summary>Connections kept open (refilled after failures, never shrunk below); 0 or more, at most <see cref="MaxSize"/>. Default: 1.</summary>
    public int MinSize { get; set; } = ConnectionPoolConstants.DefaultMinSize;

    /// <summary>
    /// Most connections in rotation at once; at least 1. Connections being drained after a health failure or a failover
    /// do not count (they take no new leases and close when their leases return). Default: 10.
    /// </summary>
    public int MaxSize { get; set; } = ConnectionPoolConstants.DefaultMaxSize;

    /// <summary>
    /// Leases one connection may have out at once: 1 makes leases exclusive (a database connection), more lets several
    /// callers share a connection (a Redis multiplexer, an HTTP/2 or gRPC channel); at least 1. Default: 1.
    /// </summary>
    public int MaxLeasesPerConnection { get; set; } = ConnectionPoolConstants.DefaultMaxLeasesPerConnection;

    /// <summary>
    /// How long <see cref="ConnectionPool{T}.AcquireAsync"/> waits for a lease before it throws
    /// <see cref="PoolAcquireTimeoutException"/>; positive, at most 1 day. Default: 30 s.
    /// </summary>
    public TimeSpan AcquireTimeout { get; set; } = ConnectionPoolConstants.DefaultAcquireTimeout;

    /// <summary>
    /// How long one attempt to open a connection (<see cref="IConnectionFactory{T}.CreateAsync"/> and, with
    /// <see cref="ValidateOnCreate"/>, its first health check) may take. The same setting as <see cref="Reconnect"/>'s
    /// <see cref="ReconnectOptions.ConnectionTimeout"/> — reading or writing one reads or writes the other — because every
    /// connection the pool opens goes through its reconnector. Default: 30 s.
    /// </summary>
    public TimeSpan ConnectionTimeout
    {
        get => Reconnect?.ConnectionTimeout ?? ReconnectConstants.DefaultConnectionTimeout;
        set => (Reconnect ??= new()).ConnectionTimeout = value;
    }

    /// <summary>
    /// Run one <see cref="IConnectionFactory{T}.CheckHealthAsync"/> on a new connection before it joins the pool; a connection
    /// that fails it is closed and the attempt counts as failed. Default: true.
    /// </summary>
    public bool ValidateOnCreate { get; set; } = true;

    /// <summary>Which connection a lease goes to among those with a free lease; any built-in kind works. Default: <see cref="LoadBalancingStrategyKind.LeastLoaded"/>.</summary>
    public LoadBalancingStrategyKind LoadBalancingStrategy { get; set; } = ConnectionPoolConstants.DefaultLoadBalancingStrategy;

    /// <summary>
    /// Health monitoring of every connection (pings through <see cref="IConnectionFactory{T}.CheckHealthAsync"/>, scores,
    /// status). <see cref="HealthOptions.EnableHealthMonitoring"/> turns the periodic pings on; passive failures reported on
    /// leases count either way. <see cref="HealthOptions.DrainTimeout"/> bounds how long a retired connection waits for its
    /// leases. Default: the <see cref="HealthOptions"/> defaults, monitoring on, with a 15 s check interval.
    /// </summary>
    public HealthOptions Health { get; set; } = new()
    {
        EnableHealthMonitoring = true,
        HealthCheckInterval = ConnectionPoolConstants.DefaultHealthCheckInterval,
    };

    /// <summary>How every connection is opened: attempts, backoff between them, per-attempt timeout. Default: the <see cref="ReconnectOptions"/> defaults.</summary>
    public ReconnectOptions Reconnect { get; set; } = new();

    /// <summary>When the pool moves between a primary and a secondary factory; used only when the pool has a secondary. Default: the <see cref="FailoverOptions"/> defaults.</summary>
    public FailoverOptions Failover { get; set; } = new();

    /// <summary>Adaptive sizing (see <see cref="PoolSizingOptions"/> for the rule). Default: on, the <see cref="PoolSizingOptions"/> defaults.</summary>
    public PoolSizingOptions Sizing { get; set; } = new();

    /// <summary>
    /// One circuit breaker per endpoint around every attempt to open a connection to it (create and first health check):
    /// an endpoint whose opens keep failing is not called again until the break ends, and the opens in between fail at
    /// once (<see cref="CircuitOpenException"/>) instead of waiting for connect timeouts. Default: off
    /// (<see cref="CircuitBreakerOptions.Enabled"/> false), as in the libp2p host; the reconnect backoff applies either way.
    /// </summary>
    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>Checks every setting, the nested ones included, and throws one exception that names each bad one.</summary>
    /// <exception cref="OptionsValidationException">At least one setting is invalid; <see cref="OptionsValidationException.Failures"/> lists them all.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (Name is not null && string.IsNullOrWhiteSpace(Name))
        {
            errors.Add($"{nameof(Name)} must be null or not blank.");
        }
        if (MaxSize < 1)
        {
            errors.Add($"{nameof(MaxSize)} must be at least 1 (was {MaxSize}).");
        }
        if (MinSize < 0)
        {
            errors.Add($"{nameof(MinSize)} must not be negative (was {MinSize}).");
        }
        else if (MinSize > MaxSize)
        {
            errors.Add($"{nameof(MinSize)} ({MinSize}) must not exceed {nameof(MaxSize)} ({MaxSize}).");
        }
        if (MaxLeasesPerConnection < 1)
        {
            errors.Add($"{nameof(MaxLeasesPerConnection)} must be at least 1 (was {MaxLeasesPerConnection}).");
        }
        if (AcquireTimeout <= TimeSpan.Zero || AcquireTimeout > ConnectionPoolConstants.MaximumDelay)
        {
            errors.Add($"{nameof(AcquireTimeout)} must be positive and at most {ConnectionPoolConstants.MaximumDelay} (was {AcquireTimeout}).");
        }
        if (!Enum.IsDefined(LoadBalancingStrategy))
        {
            errors.Add($"{nameof(LoadBalancingStrategy)} must be one of {string.Join(", ", Enum.GetNames<LoadBalancingStrategyKind>())} (was {(int)LoadBalancingStrategy}).");
        }
        Nested(Health, nameof(Health), (o, p) => o.CollectErrors(errors, p));
        Nested(Reconnect, nameof(Reconnect), (o, p) => o.CollectErrors(errors, p));
        Nested(Failover, nameof(Failover), (o, p) => o.CollectErrors(errors, p));
        Nested(Sizing, nameof(Sizing), (o, p) => o.CollectErrors(errors, p));
        Nested(CircuitBreaker, nameof(CircuitBreaker), (o, p) => o.CollectErrors(errors, p));
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ConnectionPoolOptions), errors);
        }

        void Nested<TOptions>(TOptions? options, string name, Action<TOptions, string> collect)
            where TOptions : class
        {
            if (options is null)
            {
                errors.Add($"{name} is required.");
            }
            else
            {
                collect(options, name + ".");
            }
        }
    }
}
