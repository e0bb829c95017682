namespace Resilink.Resilience;

public sealed partial class FailoverController<TEndpoint>
{
    /// <summary>
    /// Gets the endpoint to send work to: the primary in <see cref="FailoverState.Primary"/>, the secondary in
    /// <see cref="FailoverState.Secondary"/>, and during a switch the endpoint being left unless it has failed (then the new one).
    /// </summary>
    /// <exception cref="EndpointUnavailableException">The state is <see cref="FailoverState.Unavailable"/>: both endpoints have failed.</exception>
    public TEndpoint Current
    {
        get
        {
            lock (_lock)
            {
                return TryGetCurrentCore(out var endpoint) ? endpoint : throw CreateUnavailableException();
            }
        }
    }

    /// <summary>Gets the endpoint to send work to, as <see cref="Current"/>, without throwing.</summary>
    /// <param name="endpoint">The endpoint; default when there is none.</param>
    /// <returns>False in <see cref="FailoverState.Unavailable"/>.</returns>
    public bool TryGetCurrent(out TEndpoint endpoint)
    {
        lock (_lock)
        {
            return TryGetCurrentCore(out endpoint);
        }
    }

    /// <summary>Whether <paramref name="endpoint"/> currently counts as failed.</summary>
    /// <param name="endpoint">The primary or the secondary.</param>
    /// <returns>True if failed.</returns>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is neither endpoint.</exception>
    public bool IsFailed(TEndpoint endpoint)
    {
        var health = HealthOf(endpoint);
        lock (_lock)
        {
            return health.IsFailed;
        }
    }

    /// <summary>
    /// Whether <paramref name="endpoint"/> has had no success since its last failure: it is failed, or failed fewer times
    /// than the threshold. Only a success lets an automatic failback begin, so whoever no longer sends work to such an
    /// endpoint must probe it (as <c>ConnectionPool</c> does).
    /// </summary>
    /// <param name="endpoint">The primary or the secondary.</param>
    /// <returns>True if a success is awaited.</returns>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is neither endpoint.</exception>
    public bool AwaitsSuccess(TEndpoint endpoint)
    {
        var health = HealthOf(endpoint);
        lock (_lock)
        {
            return !health.ProvenHealthy;
        }
    }

    /// <summary>Gets a consistent snapshot of the counters and of the time spent in each state.</summary>
    public FailoverStatistics Statistics
    {
        get
        {
            lock (_lock)
            {
                return new FailoverStatistics(
                    _clock.State, _failovers, _failbacks, _failedSwitches,
                    _clock.Spent(FailoverState.Primary), _clock.Spent(FailoverState.Secondary), _clock.Spent(FailoverState.FailingOver),
                    _clock.Spent(FailoverState.FailingBack), _clock.Spent(FailoverState.Unavailable),
                    _lastReason, _lastTransitionAt);
            }
        }
    }

    private bool TryGetCurrentCore(out TEndpoint endpoint)
    {
        bool? primary = _clock.State switch
        {
            FailoverState.Primary => true,
            FailoverState.Secondary => false,
            FailoverState.FailingOver => !_primaryHealth.IsFailed,
            FailoverState.FailingBack => _secondaryHealth.IsFailed,
            _ => null,
        };
        endpoint = primary switch
        {
            true => _primary,
            false => _secondary,
            null => default!,
        };
        return primary is not null;
    }

    private EndpointUnavailableException CreateUnavailableException() => new(
        _primaryHealth.Name, _primaryHealth.FailureReason ?? "failed",
        _secondaryHealth.Name, _secondaryHealth.FailureReason ?? "failed");

    private EndpointHealth HealthOf(TEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (EqualityComparer<TEndpoint>.Default.Equals(endpoint, _primary))
        {
            return _primaryHealth;
        }
        if (EqualityComparer<TEndpoint>.Default.Equals(endpoint, _secondary))
        {
            return _secondaryHealth;
        }
        throw new ArgumentException($"'{endpoint}' is neither the primary '{_primary}' nor the secondary '{_secondary}'.", nameof(endpoint));
    }
}
