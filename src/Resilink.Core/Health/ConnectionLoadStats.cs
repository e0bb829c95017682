namespace Resilink.Health;

/// <summary>
/// The passive signals of one connection, written by the Net layer (and later the health engine) and read by
/// the balancing strategies on every stream selection: outstanding streams, last use, peak-EWMA latency,
/// failure rate, a weight for weighted round robin, and a health score.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. Writers serialize on a private lock; readers never lock and never allocate: the floating-point
/// state is published through a sequence counter (a seqlock), the counters through <see cref="Interlocked"/>.
/// </para>
/// <para>
/// Peak EWMA follows Finagle's <c>PeakEwma</c>: a sample above the current cost replaces it at once; otherwise
/// cost = cost·w + rtt·(1 − w) with w = exp(−Δt/τ). Reading decays the cost towards zero with the same w
/// (Finagle's <c>observe(0)</c> on read), so a connection that has not been measured for a while is
/// eventually probed again. Timestamps are <see cref="System.TimeProvider.GetTimestamp"/> values of
/// <see cref="TimeProvider"/>.
/// </para>
/// </remarks>
public sealed class ConnectionLoadStats
{
    /// <summary>
    /// The load reported by <see cref="GetLoad(long)"/> (plus the outstanding count) for a connection that has
    /// no latency sample yet but already has work outstanding: large enough to lose against any measured
    /// connection, as in Finagle.
    /// </summary>
    public const double UnmeasuredPenalty = 1_000_000.0;

    private readonly Lock _gate = new();
    private readonly double _secondsPerTick;
    private readonly double _inverseTauSeconds;
    private readonly double _failureSmoothing;
    private readonly double _weightDropFactor;
    private readonly double _minimumWeight;
    private readonly double _weightRecoveryPerSecond;

    // Seqlock-protected state: odd _version means a write is in progress.
    private int _version;
    private double _cost;
    private long _costStamp;
    private bool _hasLatency;

    // ln(cost) + costStamp/τ: orders connections by decayed cost without an exp per read (see LatencyOrderKey).
    private double _latencyOrderKey = double.NegativeInfinity;
    private double _failureRate;
    private double _weight;
    private long _weightStamp;

    private int _outstanding;
    private long _lastUsed;
    private double _healthScore = 1.0;

    /// <summary>
    /// The current weight of smooth weighted round robin (nginx's <c>current_weight</c>), kept with the
    /// connection so that candidate lists can change freely between selections. Only touched by
    /// <c>WeightedRoundRobinStrategy</c> under its lock.
    /// </summary>
    internal double SmoothCurrentWeight;

    /// <summary>Initializes a new instance of the <see cref="ConnectionLoadStats"/> class.</summary>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="options">The tuning; the defaults of <see cref="ConnectionLoadStatsOptions"/> when <see langword="null"/>.</param>
    public ConnectionLoadStats(TimeProvider? timeProvider = null, ConnectionLoadStatsOptions? options = null)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
        options ??= new ConnectionLoadStatsOptions();
        options.Validate();
        _secondsPerTick = 1.0 / TimeProvider.TimestampFrequency;
        _inverseTauSeconds = 1.0 / options.PeakEwmaDecayTime.TotalSeconds;
        _failureSmoothing = options.FailureRateSmoothing;
        _weightDropFactor = options.WeightDropFactor;
        _minimumWeight = options.MinimumWeight;
        _weightRecoveryPerSecond = options.WeightRecoveryPerSecond;
        _weight = 1.0;
        _weightStamp = TimeProvider.GetTimestamp();
    }

    /// <summary>Gets the clock whose timestamps this instance records and compares.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the number of streams opened through <see cref="OnStreamOpened"/> and not yet closed.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Gets the timestamp of the last stream opened or outcome recorded; 0 if never used.</summary>
    public long LastUsedTimestamp => Volatile.Read(ref _lastUsed);

    /// <summary>Gets a value indicating whether at least one latency or ping sample was recorded.</summary>
    public bool HasLatencySample => Volatile.Read(ref _hasLatency);

    /// <summary>Gets the peak-EWMA latency decayed to now; <see cref="TimeSpan.Zero"/> before the first sample.</summary>
    public TimeSpan PeakEwmaLatency => TimeSpan.FromSeconds(GetPeakEwmaLatencySeconds(TimeProvider.GetTimestamp()));

    /// <summary>Gets the failure-rate EWMA over recorded outcomes, in [0, 1]; 0 before any failure.</summary>
    public double FailureRate
    {
        get
        {
            ReadState(out _, out _, out _, out double failureRate, out _, out _);
            return failureRate;
        }
    }

    /// <summary>Gets the weighted-round-robin weight at the current time, in (0, 1].</summary>
    public double Weight => GetWeight(TimeProvider.GetTimestamp());

    /// <summary>
    /// Gets or sets the health score in [0, 1] (1 = fully healthy). Defaults to 1.0 until the health engine
    /// sets it; values outside the range are clamped.
    /// </summary>
    public double HealthScore
    {
        get => Volatile.Read(ref _healthScore);
        set
        {
            if (double.IsNaN(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The health score must be a number in [0, 1].");
            }

            Volatile.Write(ref _healthScore, Math.Clamp(value, 0.0, 1.0));
        }
    }

    /// <summary>Reads <see cref="TimeProvider"/>; use it for the timestamp arguments of the other members.</summary>
    /// <returns>The current timestamp.</returns>
    public long GetTimestamp() => TimeProvider.GetTimestamp();

    /// <summary>Gets the peak-EWMA latency in seconds decayed to <paramref name="timestamp"/>; 0 before the first sample.</summary>
    /// <param name="timestamp">A timestamp of <see cref="TimeProvider"/>, normally now.</param>
    /// <returns>The decayed cost in seconds.</returns>
    public double GetPeakEwmaLatencySeconds(long timestamp)
    {
        ReadState(out double cost, out long stamp, out _, out _, out _, out _);
        return Decay(cost, stamp, timestamp);
    }

    /// <summary>
    /// Gets the Finagle load at <paramref name="timestamp"/>: the decayed peak-EWMA cost × (outstanding + 1).
    /// With no latency sample yet it is 0 when nothing is outstanding (probe it first) and
    /// <see cref="UnmeasuredPenalty"/> + outstanding otherwise.
    /// </summary>
    /// <param name="timestamp">A timestamp of <see cref="TimeProvider"/>, normally now.</param>
    /// <returns>The load; lower is better.</returns>
    public double GetLoad(long timestamp)
    {
        ReadState(out double cost, out long stamp, out bool hasLatency, out _, out _, out _);
        int outstanding = Volatile.Read(ref _outstanding);
        if (!hasLatency)
        {
            return outstanding == 0 ? 0.0 : UnmeasuredPenalty + outstanding;
        }

        return Decay(cost, stamp, timestamp) * (outstanding + 1);
    }

    /// <summary>Gets the weighted-round-robin weight at <paramref name="timestamp"/>, in (0, 1].</summary>
    /// <param name="timestamp">A timestamp of <see cref="TimeProvider"/>, normally now.</param>
    /// <returns>The weight after its linear recovery since the last failure.</returns>
    public double GetWeight(long timestamp)
    {
        ReadState(out _, out _, out _, out _, out double weight, out long weightStamp);
        return Recover(weight, weightStamp, timestamp);
    }

    /// <summary>Records a successful request or stream: feeds the latency to the peak EWMA and lowers the failure rate.</summary>
    /// <param name="latency">The observed latency; negative values count as zero.</param>
    /// <param name="timestamp">When the outcome was observed, a timestamp of <see cref="TimeProvider"/>.</param>
    public void RecordSuccess(TimeSpan latency, long timestamp)
    {
        double seconds = Math.Max(0.0, latency.TotalSeconds);
        lock (_gate)
        {
            BeginWrite(out int version);
            ObserveLatency(seconds, timestamp);
            Volatile.Write(ref _failureRate, _failureRate * (1.0 - _failureSmoothing));
            EndWrite(version);
        }

        AdvanceLastUsed(timestamp);
    }

    /// <summary>Records a failed request or stream: raises the failure rate and multiplies the weight by the drop factor.</summary>
    /// <param name="timestamp">When the failure was observed, a timestamp of <see cref="TimeProvider"/>.</param>
    public void RecordFailure(long timestamp)
    {
        lock (_gate)
        {
            BeginWrite(out int version);
            Volatile.Write(ref _failureRate, (_failureRate * (1.0 - _failureSmoothing)) + _failureSmoothing);
            double current = Recover(_weight, _weightStamp, timestamp);
            Volatile.Write(ref _weight, Math.Max(_minimumWeight, current * _weightDropFactor));
            Volatile.Write(ref _weightStamp, Math.Max(_weightStamp, timestamp));
            EndWrite(version);
        }

        AdvanceLastUsed(timestamp);
    }

    /// <summary>Records a ping round trip (an active probe): feeds the peak EWMA only, at the current time.</summary>
    /// <param name="rtt">The round-trip time; negative values count as zero.</param>
    public void RecordPing(TimeSpan rtt)
    {
        double seconds = Math.Max(0.0, rtt.TotalSeconds);
        long now = TimeProvider.GetTimestamp();
        lock (_gate)
        {
            BeginWrite(out int version);
            ObserveLatency(seconds, now);
            EndWrite(version);
        }
    }

    /// <summary>Counts a stream opened on the connection and marks the connection used now.</summary>
    public void OnStreamOpened()
    {
        Interlocked.Increment(ref _outstanding);
        AdvanceLastUsed(TimeProvider.GetTimestamp());
    }

    /// <summary>Counts a stream closed (or reset, or failed) on the connection. Never goes below zero.</summary>
    public void OnStreamClosed()
    {
        int current = Volatile.Read(ref _outstanding);
        while (current > 0)
        {
            int seen = Interlocked.CompareExchange(ref _outstanding, current - 1, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>
    /// A key that orders connections exactly like their decayed peak-EWMA cost at any common read time, without
    /// computing an exponential per read: cost·exp(−(now − stamp)/τ) = exp(key − now/τ) with
    /// key = ln(cost) + stamp/τ, and exp is monotonic. Negative infinity before the first sample or for a zero cost.
    /// Only comparable between instances on the same clock with the same <see cref="ConnectionLoadStatsOptions.PeakEwmaDecayTime"/>.
    /// </summary>
    internal double LatencyOrderKey => Volatile.Read(ref _latencyOrderKey);

    /// <summary>One consistent read of the inputs of the weighted-round-robin efficiency score.</summary>
    /// <remarks>The latency is the peak-EWMA cost as of its last sample (not decayed: that would cost an exp per read).</remarks>
    internal void ReadEfficiencyInputs(long timestamp, out double weight, out double failureRate, out double latencySeconds)
    {
        ReadState(out latencySeconds, out _, out _, out failureRate, out double storedWeight, out long weightStamp);
        weight = Recover(storedWeight, weightStamp, timestamp);
    }

    private double Decay(double cost, long stamp, long timestamp)
    {
        if (cost == 0.0 || timestamp <= stamp)
        {
            return cost;
        }

        return cost * Math.Exp(-(timestamp - stamp) * _secondsPerTick * _inverseTauSeconds);
    }

    private double Recover(double weight, long weightStamp, long timestamp)
    {
        if (timestamp <= weightStamp || weight >= 1.0)
        {
            return weight;
        }

        return Math.Min(1.0, weight + ((timestamp - weightStamp) * _secondsPerTick * _weightRecoveryPerSecond));
    }

    // Caller holds _gate and is inside BeginWrite/EndWrite.
    private void ObserveLatency(double rttSeconds, long timestamp)
    {
        double cost;
        if (!_hasLatency || rttSeconds > _cost)
        {
            cost = rttSeconds; // the peak: jump straight up
        }
        else
        {
            long elapsed = Math.Max(0, timestamp - _costStamp);
            double w = Math.Exp(-elapsed * _secondsPerTick * _inverseTauSeconds);
            cost = (_cost * w) + (rttSeconds * (1.0 - w));
        }

        long stamp = Math.Max(_costStamp, timestamp);
        Volatile.Write(ref _cost, cost);
        Volatile.Write(ref _costStamp, stamp);
        Volatile.Write(ref _hasLatency, true);
        Volatile.Write(ref _latencyOrderKey, Math.Log(cost) + (stamp * _secondsPerTick * _inverseTauSeconds));
    }

    private void BeginWrite(out int version)
    {
        version = _version;
        Volatile.Write(ref _version, version + 1);
    }

    private void EndWrite(int version) => Volatile.Write(ref _version, version + 2);

    private void ReadState(
        out double cost, out long costStamp, out bool hasLatency, out double failureRate, out double weight, out long weightStamp)
    {
        SpinWait spinner = default;
        while (true)
        {
            int before = Volatile.Read(ref _version);
            if ((before & 1) == 0)
            {
                cost = Volatile.Read(ref _cost);
                costStamp = Volatile.Read(ref _costStamp);
                hasLatency = Volatile.Read(ref _hasLatency);
                failureRate = Volatile.Read(ref _failureRate);
                weight = Volatile.Read(ref _weight);
                weightStamp = Volatile.Read(ref _weightStamp);
                if (Volatile.Read(ref _version) == before)
                {
                    return;
                }
            }

            spinner.SpinOnce();
        }
    }

    private void AdvanceLastUsed(long timestamp)
    {
        long current = Volatile.Read(ref _lastUsed);
        while (timestamp > current)
        {
            long seen = Interlocked.CompareExchange(ref _lastUsed, timestamp, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
