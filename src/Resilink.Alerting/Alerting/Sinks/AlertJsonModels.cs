using System.Text.Json.Serialization;

namespace Resilink.Alerting;

// The wire formats of the HTTP sinks, kept apart from Alert so that renaming a property cannot silently change them.

/// <summary>The JSON body <see cref="WebhookAlertSink"/> posts: one alert.</summary>
internal sealed record WebhookAlertJson(
    string Id,
    string Rule,
    string Level,
    string Status,
    string Service,
    string Message,
    string? Description,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    long Count,
    DateTimeOffset? ResolvedAt);

/// <summary>One element of the array that Alertmanager's <c>POST /api/v2/alerts</c> takes (its <c>postableAlert</c>).</summary>
internal sealed record AlertmanagerAlertJson(
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    [property: JsonPropertyName("generatorURL")] string? GeneratorUrl);
