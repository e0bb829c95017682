using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;
using Resilink.Monitoring;
using CircuitState = Resilink.Monitoring.CircuitState;

namespace Resilink.Resilience;

/// <summary>
/// One Polly circuit breaker per key (a peer ID, an endpoint), created on first use: calls to a key whose recent calls
/// mostly failed are rejected at once with <see cref="CircuitOpenException"/> instead of being tried. Thread-safe.
/// </summary>
/// <remarks>
/// <para>When and for how long a breaker opens is set by <see cref="CircuitBreakerOptions"/>; which errors count as
/// failures by <see cref="CircuitBreakerFailures.IsFailure"/>. All breakers share one clock, the <see cref="TimeProvider"/>.</para>
/// <para>Bounded: at most <see cref="CircuitBreakerOptions.MaxBreakers"/> keys are kept. Adding one more forgets the
/// least recently used (by <see cref="ExecuteAsync{T}"/> or <see cref="IsolateAsync"/>) breaker that is closed, which
/// loses nothing but a few recent failures; only when none is closed does the least recently used open, half-open or
/// isolated one go, and then its key is reported as moving to <see cref="CircuitState.Closed"/> (it starts afresh).</para>
/// <para>Every state change is logged, reported to the <see cref="IConnectionMonitor"/> and raised as
/// <see cref="StateChanged"/>, in that order, before the call that caused it returns. An open breaker stays
/// <see cref="CircuitState.Open"/> until the first call after its break: that call is the half-open trial.</para>
/// </remarks>
public sealed partial class CircuitBreakerRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CircuitBreakerEntry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<CircuitBreakerEntry> _byUse = new(); // most recently used first
    private readonly CircuitBreakerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly IConnectionMonitor _monitor;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="CircuitBreakerRegistry"/> class.</summary>
    /// <param name="options">Validated and copied now; later changes to it have no effect. <see cref="CircuitBreakerOptions.Enabled"/> is not read.</param>
    /// <param name="timeProvider">Clock of the sampling windows and breaks; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="connectionMonitor">Where every state change is reported; none when null.</param>
    /// <param name="logger">Where every state change is logged; none when null.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public CircuitBreakerRegistry(
        CircuitBreakerOptions options,
        TimeProvider? timeProvider = null,
        IConnectionMonitor? connectionMonitor = null,
        ILogger<CircuitBreakerRegistry>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = new CircuitBreakerOptions
        {
            Enabled = options.Enabled,
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
            MaxBreakers = options.MaxBreakers,
        };
        _timeProvider = timeProvider ?? TimeProvider.System;
        _monitor = connectionMonitor ?? NullConnectionMonitor.Instance;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// Raised after every state change of a breaker, on the thread of the call that caused it (or of Polly's event
    /// queue). Handlers must be quick and must not throw (a throwing handler is logged and ignored).
    /// </summary>
    public event EventHandler<CircuitStateChangedEventArgs>? StateChanged;

    /// <summary>Gets how many keys have a breaker now (at most <see cref="CircuitBreakerOptions.MaxBreakers"/>).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> through the breaker of <paramref name="key"/> (created closed if new) and records
    /// its outcome there. Its result or exception comes back unchanged.
    /// </summary>
    /// <typeparam name="T">The operation's result.</typeparam>
    /// <param name="key">The peer or endpoint the operation talks to.</param>
    /// <param name="operation">The call; gets <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels the call; a cancelled call never counts as a failure.</param>
    /// <returns>What <paramref name="operation"/> returned.</returns>
    /// <exception cref="CircuitOpenException">The breaker is open, half-open with its trial under way, or isolated: <paramref name="operation"/> was not called.</exception>
    public async ValueTask<T> ExecuteAsync<T>(string key, Func<CancellationToken, ValueTask<T>> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(operation);
        var entry = GetOrAdd(key, out var evicted);
        ReportEvicted(evicted);
        var call = new GuardedCall<T>(operation);
        try
        {
            return await entry.Pipeline.ExecuteAsync(static (c, ct) => c.InvokeAsync(ct), call, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException rejection) when (!call.Started)
        {
            throw Rejected(entry, rejection);
        }
    }

    /// <summary>The state of <paramref name="key"/>'s breaker; <see cref="CircuitState.Closed"/> for a key without one. Does not count as a use.</summary>
    /// <param name="key">The peer or endpoint.</param>
    /// <returns>The state now.</returns>
    public CircuitState GetState(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        CircuitBreakerEntry? entry;
        lock (_gate)
        {
            _entries.TryGetValue(key, out entry);
        }
        return entry?.State ?? CircuitState.Closed;
    }

    /// <summary>
    /// Holds <paramref name="key"/>'s breaker open (creating it if needed) until <see cref="CloseAsync"/>: every call
    /// fails with <see cref="CircuitOpenException"/> in state <see cref="CircuitState.Isolated"/>.
    /// </summary>
    /// <param name="key">The peer or endpoint.</param>
    /// <param name="cancellationToken">Cancels the wait for the state-change handlers.</param>
    /// <returns>A task that completes once the change is reported.</returns>
    public Task IsolateAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var entry = GetOrAdd(key, out var evicted);
        ReportEvicted(evicted);
        return entry.ManualControl.IsolateAsync(cancellationToken);
    }

    /// <summary>
    /// Closes <paramref name="key"/>'s breaker whatever its state (isolated, open or half-open) and forgets its recent
    /// failures. Does nothing for a key without a breaker or a closed one.
    /// </summary>
    /// <param name="key">The peer or endpoint.</param>
    /// <param name="cancellationToken">Cancels the wait for the state-change handlers.</param>
    /// <returns>A task that completes once the change is reported.</returns>
    public Task CloseAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        CircuitBreakerEntry? entry;
        lock (_gate)
        {
            _entries.TryGetValue(key, out entry);
        }
        return entry is null ? Task.CompletedTask : entry.ManualControl.CloseAsync(cancellationToken);
    }

    /// <summary>Called by an entry's Polly callbacks: logs, reports and raises one change.</summary>
    internal void OnTransition(CircuitBreakerEntry entry, CircuitState to, TimeSpan? breakDuration, bool isManual, Exception? failure)
    {
        if (!entry.TryMoveTo(to, out var from))
        {
            return;
        }
        var now = _timeProvider.GetUtcNow();
        DateTimeOffset? retryAt = to == CircuitState.Open && breakDuration is { } d ? AddSaturating(now, d) : null;
        Raise(new CircuitStateChangedEventArgs(entry.Key, from, to, now, retryAt, isManual, failure));
    }

    private void Raise(CircuitStateChangedEventArgs change)
    {
        LogStateChanged(change);
        _monitor.OnCircuitBreakerStateChanged(new CircuitBreakerEvent(change.Key, change.From, change.To));
        try
        {
            StateChanged?.Invoke(this, change);
        }
#pragma warning disable CA1031 // A failing subscriber must not fail the call whose outcome moved the breaker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogHandlerFailed(ex, change.Key);
        }
    }

    private CircuitOpenException Rejected(CircuitBreakerEntry entry, BrokenCircuitException rejection)
    {
        // The breaker may have moved on since it rejected us; a rejection is never "closed".
        var state = rejection is IsolatedCircuitException ? CircuitState.Isolated
            : entry.State == CircuitState.HalfOpen ? CircuitState.HalfOpen
            : CircuitState.Open;
        DateTimeOffset? retryAt = rejection.RetryAfter is { } after && state != CircuitState.Isolated
            ? AddSaturating(_timeProvider.GetUtcNow(), after < TimeSpan.Zero ? TimeSpan.Zero : after)
            : null;
        return new CircuitOpenException(entry.Key, state, retryAt, rejection);
    }

    private static DateTimeOffset AddSaturating(DateTimeOffset now, TimeSpan delta) =>
        delta >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + delta;

    /// <summary>The caller's operation, and whether the breaker let it start (a rejection of ours happens before it does).</summary>
    private sealed class GuardedCall<T>(Func<CancellationToken, ValueTask<T>> operation)
    {
        public bool Started { get; private set; }

        public ValueTask<T> InvokeAsync(CancellationToken cancellationToken)
        {
            Started = true;
            return operation(cancellationToken);
        }
    }
}
