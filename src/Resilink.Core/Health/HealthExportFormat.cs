namespace Resilink.Health;

/// <summary>The text formats health numbers can be exported in.</summary>
public enum HealthExportFormat
{
    /// <summary>A JSON document (System.Text.Json, camelCase).</summary>
    Json = 0,

    /// <summary>The Prometheus text exposition format 0.0.4.</summary>
    Prometheus = 1,
}
