using System.Text.Json.Serialization;

namespace Resilink.Alerting;

/// <summary>The source-generated serializer of the HTTP sinks (no reflection, trimming-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebhookAlertJson))]
[JsonSerializable(typeof(AlertmanagerAlertJson[]))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;
