using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Resilink.Monitoring;

namespace Resilink.Resilience;

/// <summary>
/// Chooses between a primary and a secondary endpoint from reported outcomes and health: fails over when the active
/// endpoint fails, fails back once the primary has been healthy for <see cref="FailoverOptions.FailbackDelay"/>, and is
/// <see cref="FailoverState.Unavailable"/> — refusing all work — while both have failed. Thread-safe.
/// </summary>
/// <typeparam name="TEndpoint">What an endpoint is: a name, an address, a connection factory (for a pool), …; compared with <see cref="EqualityComparer{T}.Default"/>.</typeparam>
/// <remarks>
/// <para>An endpoint fails after <see cref="FailoverOptions.FailureThreshold"/> consecutive <see cref="RecordFailure"/>s, a health score under
/// <see cref="FailoverOptions.HealthThreshold"/>, or an unhealthy report; it recovers with one <see cref="RecordSuccess"/> or a healthy report.</para>
/// <para>Every switch passes through <see cref="FailoverState.FailingOver"/> or <see cref="FailoverState.FailingBack"/> while the optional switch hook
/// warms the new endpoint up (instantly without a hook). Meanwhile <see cref="Current"/> stays on the endpoint being left unless it has failed.
/// If the hook throws or outlives <see cref="FailoverOptions.SwitchTimeout"/>, the new endpoint counts as failed and the controller returns to the
/// endpoint it was leaving — or becomes <see cref="FailoverState.Unavailable"/> if that one has failed too. Recovery from Unavailable goes straight to
/// whichever endpoint recovers first, without the hook.</para>
/// <para><see cref="StateChanged"/> is raised for every transition, in order, outside the controller's lock.</para>
/// </remarks>
public sealed partial class FailoverController<TEndpoint> : IAsyncDisposable
    where TEndpoint : notnull
{
    private readonly Lock _lock = new();
    private readonly TEndpoint _primary;
    private readonly TEndpoint _secondary;
    private readonly EndpointHealth _primaryHealth;
    private readonly EndpointHealth _secondaryHealth;
    private readonly Func<TEndpoint, CancellationToken, Task>? _onSwitch;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IConnectionMonitor _monitor;
    private readonly int _failureThreshold;
    private readonly double _healthThreshold;
    private readonly bool _automaticFailback;
    private readonly TimeSpan _failbackDelay;
    private readonly TimeSpan _switchTimeout;
    private readonly FailoverStateClock _clock;
    private FailoverSwitch? _switch;
    private bool _pinnedToSecondary;
    private bool _disposed;
    private long _failovers;
    private long _failbacks;
    private long _failedSwitches;
    private string? _lastReason;
    private DateTimeOffset? _lastTransitionAt;

    /// <summary>Initializes a new instance of the <see cref="FailoverController{TEndpoint}"/> class, on the primary.</summary>
    /// <param name="primary">The preferred endpoint.</param>
    /// <param name="secondary">The fallback; must differ from <paramref name="primary"/>.</param>
    /// <param name="options">The settings; validated and copied now, later changes have no effect.</param>
    /// <param name="onSwitch">Optional hook that warms the new endpoint up during a switch; its token is cancelled on timeout or when the switch is abandoned.</param>
    /// <param name="timeProvider">The clock of the failback delay, the switch timeout and the statistics; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Where transitions and hook failures are logged; none when null.</param>
    /// <param name="monitor">Where every transition is reported (<see cref="IConnectionMonitor.OnFailoverStateChanged"/>); none when null.</param>
    /// <exception cref="ArgumentException"><paramref name="primary"/> equals <paramref name="secondary"/>.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public FailoverController(
        TEndpoint primary,
        TEndpoint secondary,
        FailoverOptions options,
        Func<TEndpoint, CancellationToken, Task>? onSwitch = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        IConnectionMonitor? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(secondary);
        ArgumentNullException.ThrowIfNull(options);
        if (EqualityComparer<TEndpoint>.Default.Equals(primary, secondary))
        {
            throw new ArgumentException($"The secondary endpoint must differ from the primary ('{primary}').", nameof(secondary));
        }
        options.Validate();
        (_failureThreshold, _healthThreshold, _automaticFailback) = (options.FailureThreshold, options.HealthThreshold, options.AutomaticFailback);
        (_failbackDelay, _switchTimeout) = (options.FailbackDelay, options.SwitchTimeout);
        (_primary, _secondary, _onSwitch) = (primary, secondary, onSwitch);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _monitor = monitor ?? NullConnectionMonitor.Instance;
        long now = _timeProvider.GetTimestamp();
        _primaryHealth = new EndpointHealth("primary", primary.ToString() ?? "", now);
        _secondaryHealth = new EndpointHealth("secondary", secondary.ToString() ?? "", now);
        _clock = new FailoverStateClock(_timeProvider, FailoverState.Primary);
    }

    /// <summary>Raised after every state change, in order, outside any lock. Handlers must not throw (they are logged if they do).</summary>
    public event EventHandler<FailoverStateChangedEventArgs>? StateChanged;

    /// <summary>Gets the primary endpoint.</summary>
    public TEndpoint Primary => _primary;

    /// <summary>Gets the secondary endpoint.</summary>
    public TEndpoint Secondary => _secondary;

    /// <summary>Gets the current state.</summary>
    public FailoverState State
    {
        get
        {
            lock (_lock)
            {
                return _clock.State;
            }
        }
    }
}
