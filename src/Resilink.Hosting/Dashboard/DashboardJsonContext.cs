using System.Text.Json;
using System.Text.Json.Serialization;

namespace Resilink.Hosting.Dashboard;

/// <summary>Source-generated JSON for the dashboard's types: no reflection, trim-friendly, fast.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DashboardSnapshot))]
[JsonSerializable(typeof(DashboardStatusChange))]
[JsonSerializable(typeof(DashboardCircuitChange))]
[JsonSerializable(typeof(DashboardAlert))]
[JsonSerializable(typeof(DashboardHistory))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
