namespace Resilink.Alerting;

/// <summary>The mutable record of one active alert inside <see cref="AlertManager"/>; guarded by the manager's lock.</summary>
internal sealed class ActiveAlert(string id, AlertRule rule, string service, IReadOnlyDictionary<string, string> labels, DateTimeOffset now)
{
    public string Id { get; } = id;

    public AlertRule Rule { get; } = rule;

    public string Service { get; } = service;

    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    public DateTimeOffset FirstSeen { get; } = now;

    public DateTimeOffset LastSeen { get; set; } = now;

    /// <summary>Gets or sets when it was last queued for the sinks.</summary>
    public DateTimeOffset LastSent { get; set; } = now;

    public long Count { get; set; } = 1;

    public string Message { get; set; } = "";

    public Alert ToAlert(DateTimeOffset? resolvedAt = null) => new()
    {
        Id = Id,
        Rule = Rule,
        Service = Service,
        Message = Message,
        Labels = Labels,
        FirstSeen = FirstSeen,
        LastSeen = LastSeen,
        Count = Count,
        ResolvedAt = resolvedAt,
    };
}
