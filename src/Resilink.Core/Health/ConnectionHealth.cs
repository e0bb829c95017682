namespace Resilink.Health;

/// <summary>
/// Everything the health engine knows about one connection: pings, RTTs, failures, bytes, histories, and the
/// status they add up to. <see cref="Evaluate"/> turns the records into a score and a status.
/// </summary>
/// <remarks>
/// Thread-safe: every member takes one private lock. The options are read at construction (sizes) and at each
/// evaluation (thresholds).
/// </remarks>
public sealed partial class ConnectionHealth
{
    private readonly Lock _gate = new();
    private readonly HealthOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly DateTimeOffset _openedAt;
    private readonly RttTracker _rtt;
    private readonly PingOutcomeWindow _pings;
    private readonly RecentFailureWindow _recentFailures;
    private readonly PhiAccrualFailureDetector _detector;
    private readonly BandwidthTracker _bandwidth;
    private readonly BoundedHistory<HealthError> _errors;
    private readonly BoundedHistory<ConnectionLifecycleEvent> _events;
    private readonly HealthStateMachine _status;
    private HealthScore _score = new(1.0, 1.0, 1.0, 1.0);
    private bool _hasEvidence;
    private bool _isRoutable = true;
    private string? _closeReason;
    private bool _closedLocally;
    private int _consecutivePingFailures;
    private long _pingsSent;
    private long _pingsFailed;
    private long _streamsOpened;
    private long _failedStreams;
    private long _lastTotalIn;
    private long _lastTotalOut;
    private DateTimeOffset? _lastStatusChange;

    /// <summary>Initializes a new instance of the <see cref="ConnectionHealth"/> class and records <see cref="ConnectionEventKind.Opened"/>.</summary>
    /// <param name="connectionId">The connection's identifier.</param>
    /// <param name="peerKey">The peer (or endpoint) it leads to.</param>
    /// <param name="openedAt">When it opened.</param>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid.</exception>
    public ConnectionHealth(string connectionId, string peerKey, DateTimeOffset openedAt, HealthOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentNullException.ThrowIfNull(peerKey);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        ConnectionId = connectionId;
        PeerKey = peerKey;
        _openedAt = openedAt;
        _options = options;
        _timeProvider = timeProvider;
        _rtt = new RttTracker(options.LatencyWindowSize);
        _pings = new PingOutcomeWindow(options.PingSuccessWindowSize);
        int maxTracked = options.MaxFailedStreams == int.MaxValue ? int.MaxValue : options.MaxFailedStreams + 1;
        _recentFailures = new RecentFailureWindow(options.FailureMemory, maxTracked, timeProvider);
        _detector = new PhiAccrualFailureDetector(
            options.PhiThreshold, options.PhiMaxSampleSize, options.PhiMinStdDeviation, options.PhiAcceptableHeartbeatPause,
            firstHeartbeatEstimate: options.HealthCheckInterval, timeProvider);
        // Opened in the past (a record made late, e.g. for an unmonitored connection): its first bytes span its age.
        _bandwidth = new BandwidthTracker(options.BandwidthWindow, timeProvider, timeProvider.GetUtcNow() - openedAt);
        _errors = new BoundedHistory<HealthError>(options.HistorySize);
        _events = new BoundedHistory<ConnectionLifecycleEvent>(options.HistorySize);
        _status = new HealthStateMachine(options.FailureThreshold, options.RecoveryThreshold);
        _events.Add(new ConnectionLifecycleEvent(timeProvider.GetUtcNow(), ConnectionEventKind.Opened, ""));
    }

    /// <summary>Gets the connection's identifier.</summary>
    public string ConnectionId { get; }

    /// <summary>Gets the peer (or endpoint) the connection leads to.</summary>
    public string PeerKey { get; }

    /// <summary>Gets the status as of the last <see cref="Evaluate"/>; <see cref="HealthStatus.Unknown"/> before.</summary>
    public HealthStatus Status
    {
        get { lock (_gate) { return _status.Current; } }
    }

    /// <summary>Gets the score as of the last <see cref="Evaluate"/>; 1 before.</summary>
    public double Score
    {
        get { lock (_gate) { return _score.Score; } }
    }

    /// <summary>Gets or sets a value indicating whether the connection receives new streams. Set by the owner; default true.</summary>
    public bool IsRoutable
    {
        get { lock (_gate) { return _isRoutable; } }
        set { lock (_gate) { _isRoutable = value; } }
    }

    /// <summary>Gets the pings failed in a row since the last answer.</summary>
    public int ConsecutivePingFailures
    {
        get { lock (_gate) { return _consecutivePingFailures; } }
    }

    /// <summary>Gets a value indicating whether <see cref="MarkClosed"/> was called.</summary>
    public bool IsClosed
    {
        get { lock (_gate) { return _closeReason is not null; } }
    }
}
