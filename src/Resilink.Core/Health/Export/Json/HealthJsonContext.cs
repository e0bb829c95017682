using System.Text.Json.Serialization;

namespace Resilink.Health;

/// <summary>
/// The source-generated serializer of the JSON export (no reflection, trimming-safe).
/// NaN and ±Infinity, which a score or phi can be, are written as the strings <c>"NaN"</c>,
/// <c>"Infinity"</c> and <c>"-Infinity"</c>: plain JSON has no such numbers, and null would lose the value.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    WriteIndented = true)]
[JsonSerializable(typeof(NetworkHealthJson))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
