namespace Resilink.Alerting;

// Raising and resolving: the active table keyed by (rule name, service), the cooldown that folds repeats, and the
// bound on active alerts. Everything here runs under _lock and is O(1), except displacing an alert from a full table,
// which scans it once (and only when a less severe alert exists to displace).
public sealed partial class AlertManager
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();
    private readonly Dictionary<(string Rule, string Service), ActiveAlert> _active = [];
    private readonly int[] _activeByLevel = new int[4];
    private bool _full;

    /// <summary>Gets how many alerts are active (raised and not resolved).</summary>
    public int ActiveCount
    {
        get
        {
            lock (_lock)
            {
                return _active.Count;
            }
        }
    }

    /// <summary>
    /// Raises <paramref name="rule"/> for <paramref name="service"/>. A new alert is sent to the sinks of its level. A
    /// repeat of an active one (same rule name and service) is folded into it — count + 1, last seen and message
    /// updated — and is sent again only if the cooldown has passed since it was last sent (a reminder carrying the count).
    /// </summary>
    /// <param name="rule">The rule.</param>
    /// <param name="service">The service it is about.</param>
    /// <param name="message">What happened; null for "<c>rule</c> on <c>service</c>".</param>
    /// <param name="labels">Labels added to the rule's on a new alert (ignored when folding).</param>
    /// <returns>The alert as it is now, or null when it was dropped because the active table is full.</returns>
    /// <exception cref="ObjectDisposedException">The manager was disposed.</exception>
    public Alert? Raise(AlertRule rule, string service, string? message = null, IReadOnlyDictionary<string, string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        message ??= $"{rule.Name} on {service}";
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            Interlocked.Increment(ref _counters.Raised);
            if (_active.TryGetValue((rule.Name, service), out ActiveAlert? entry))
            {
                entry.Count++;
                entry.LastSeen = now;
                entry.Message = message;
                if (now - entry.LastSent < (entry.Rule.Cooldown ?? Options.DefaultCooldown))
                {
                    Interlocked.Increment(ref _counters.Folded);
                    return entry.ToAlert();
                }

                entry.LastSent = now;
                return Route(entry.ToAlert());
            }

            if (_active.Count >= Options.MaxActiveAlerts && !TryDisplace(rule.Level))
            {
                Interlocked.Increment(ref _counters.DroppedAlerts);
                return null;
            }

            entry = new ActiveAlert(Guid.CreateVersion7(now).ToString("N"), rule, service, Merge(rule.Labels, labels), now) { Message = message };
            _active.Add((rule.Name, service), entry);
            _activeByLevel[(int)rule.Level]++;
            if (_active.Count == Options.MaxActiveAlerts && !_full)
            {
                _full = true;
                LogActiveTableFull(Options.MaxActiveAlerts);
            }

            return Route(entry.ToAlert());
        }
    }

    /// <summary>Resolves the active alert of <paramref name="ruleName"/> for <paramref name="service"/>: it moves to the history and its sinks are told.</summary>
    /// <param name="ruleName">The rule's name.</param>
    /// <param name="service">The service.</param>
    /// <returns>False if no such alert was active.</returns>
    public bool Resolve(string ruleName, string service)
    {
        ArgumentNullException.ThrowIfNull(ruleName);
        ArgumentNullException.ThrowIfNull(service);
        lock (_lock)
        {
            if (_disposed != 0 || !_active.Remove((ruleName, service), out ActiveAlert? entry))
            {
                return false;
            }

            Forget(entry);
            Interlocked.Increment(ref _counters.Resolved);
            Alert resolved = entry.ToAlert(_timeProvider.GetUtcNow());
            AddToHistory(resolved);
            Route(resolved);
            return true;
        }
    }

    private Alert Route(Alert alert)
    {
        foreach (AlertRoute route in _routes)
        {
            if (alert.Level >= route.MinimumLevel)
            {
                route.Enqueue(alert);
            }
        }

        return alert;
    }

    private bool TryDisplace(MonitoringLevel level)
    {
        if (_activeByLevel.AsSpan(0, (int)level).IndexOfAnyExcept(0) < 0)
        {
            return false; // nothing less severe to displace: the new alert is the one dropped
        }

        ActiveAlert? victim = null;
        foreach (ActiveAlert candidate in _active.Values)
        {
            if (candidate.Rule.Level < level
                && (victim is null || candidate.Rule.Level < victim.Rule.Level
                    || (candidate.Rule.Level == victim.Rule.Level && candidate.LastSeen < victim.LastSeen)))
            {
                victim = candidate;
            }
        }

        _active.Remove((victim!.Rule.Name, victim.Service));
        Forget(victim);
        Interlocked.Increment(ref _counters.DroppedAlerts);
        return true;
    }

    private void Forget(ActiveAlert entry)
    {
        _activeByLevel[(int)entry.Rule.Level]--;
        _full = _active.Count >= Options.MaxActiveAlerts;
    }

    private static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string> ruleLabels, IReadOnlyDictionary<string, string>? labels)
    {
        if (ruleLabels.Count == 0 && (labels is null || labels.Count == 0))
        {
            return NoLabels;
        }

        var merged = new Dictionary<string, string>(ruleLabels, StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> label in labels ?? NoLabels)
        {
            merged[label.Key] = label.Value;
        }

        return merged;
    }
}
