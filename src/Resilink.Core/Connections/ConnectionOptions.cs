using Microsoft.Extensions.Options;
using Resilink.Balancing;
using Resilink.Resilience;

namespace Resilink.Connections;

/// <summary>
/// How many connections to keep to each peer, how long a dial may take, how streams are spread over the connections
/// and how failed dials are retried. Mutable; call <see cref="Validate"/> to check every setting at once.
/// </summary>
public sealed class ConnectionOptions
{
    /// <summary>Most connections kept to one peer; at least 1 and at least <see cref="MinConnectionsPerPeer"/>. Default: 3.</summary>
    public int MaxConnectionsPerPeer { get; set; } = ConnectionConstants.DefaultMaxConnectionsPerPeer;

    /// <summary>Connections to keep to a peer we talk to (replaced when they die); 0 or more. Default: 1.</summary>
    public int MinConnectionsPerPeer { get; set; } = ConnectionConstants.DefaultMinConnectionsPerPeer;

    /// <summary>Limit for establishing one connection (one attempt, not all retries); positive. Default: 30 s.</summary>
    public TimeSpan ConnectionTimeout { get; set; } = ConnectionConstants.DefaultConnectionTimeout;

    /// <summary>
    /// How streams are spread over a peer's connections. Default: <see cref="LoadBalancingStrategyKind.RoundRobin"/>;
    /// <see cref="LoadBalancingStrategyKind.PowerOfTwoChoices"/> is the one to pick for tail latency. Configuration
    /// binding accepts the names case-insensitively.
    /// </summary>
    public LoadBalancingStrategyKind LoadBalancingStrategy { get; set; } = ConnectionConstants.DefaultLoadBalancingStrategy;

    /// <summary>Retry of failed dials. Default: a new <see cref="RetryOptions"/> with its defaults.</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>Checks every setting, <see cref="Retry"/>'s included, and throws one exception that names each bad one.</summary>
    /// <exception cref="OptionsValidationException">At least one setting is invalid; <see cref="OptionsValidationException.Failures"/> lists them all.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (MaxConnectionsPerPeer < 1)
        {
            errors.Add($"{nameof(MaxConnectionsPerPeer)} must be at least 1 (was {MaxConnectionsPerPeer}).");
        }
        if (MinConnectionsPerPeer < 0)
        {
            errors.Add($"{nameof(MinConnectionsPerPeer)} must not be negative (was {MinConnectionsPerPeer}).");
        }
        else if (MinConnectionsPerPeer > MaxConnectionsPerPeer)
        {
            errors.Add($"{nameof(MinConnectionsPerPeer)} ({MinConnectionsPerPeer}) must not exceed {nameof(MaxConnectionsPerPeer)} ({MaxConnectionsPerPeer}).");
        }
        if (ConnectionTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(ConnectionTimeout)} must be positive (was {ConnectionTimeout}).");
        }
        if (!Enum.IsDefined(LoadBalancingStrategy))
        {
            errors.Add($"{nameof(LoadBalancingStrategy)} must be one of {string.Join(", ", Enum.GetNames<LoadBalancingStrategyKind>())} (was {(int)LoadBalancingStrategy}).");
        }
        if (Retry is null)
        {
            errors.Add($"{nameof(Retry)} is required.");
        }
        else
        {
            Retry.CollectErrors(errors, prefix: nameof(Retry) + ".");
        }
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ConnectionOptions), errors);
        }
    }
}
