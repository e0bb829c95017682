namespace Resilink.Alerting;

/// <summary>
/// One alert: a rule firing for a service. Repeats of the same rule and service fold into it (<see cref="Count"/>,
/// <see cref="LastSeen"/>). Instances are immutable snapshots; <see cref="AlertManager"/> hands out a new one at each change.
/// </summary>
public sealed class Alert
{
    /// <summary>Gets the unique id of the alert (32 hex digits, time-ordered); it stays the same while repeats fold in.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the rule that raised it.</summary>
    public required AlertRule Rule { get; init; }

    /// <summary>Gets the level (the rule's level).</summary>
    public MonitoringLevel Level => Rule.Level;

    /// <summary>Gets the service it is about.</summary>
    public required string Service { get; init; }

    /// <summary>Gets the message of the latest raise.</summary>
    public required string Message { get; init; }

    /// <summary>Gets the rule's labels and those of the first raise (the raise's win on a clash).</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>Gets when it was first raised.</summary>
    public required DateTimeOffset FirstSeen { get; init; }

    /// <summary>Gets when it was last raised.</summary>
    public required DateTimeOffset LastSeen { get; init; }

    /// <summary>Gets how many raises folded into it, the first included.</summary>
    public required long Count { get; init; }

    /// <summary>Gets when it was resolved, or null while it is active.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Gets a value indicating whether it was resolved.</summary>
    public bool IsResolved => ResolvedAt is not null;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Rule.Name} on {Service} ({Level}, x{Count}{(IsResolved ? ", resolved" : "")}): {Message}";
}
