using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Resilink.Cli.Demo;

/// <summary>
/// The result of a demo run, as printed at the end and written by <c>--json</c> (camelCase, times in seconds from the
/// start of the load, latencies in milliseconds).
/// </summary>
internal sealed record DemoSummary(
    int Peers,
    double DurationSeconds,
    double ElapsedSeconds,
    int Seed,
    string Strategy,
    bool Interrupted,
    IReadOnlyList<ScheduledFault> Schedule,
    RequestSummary Requests,
    IReadOnlyList<StrategySummary> Strategies,
    int FaultsInjected,
    IReadOnlyList<FaultSummary> Faults,
    int ConnectionsReplaced);

/// <summary>One step of the schedule as planned.</summary>
internal sealed record ScheduledFault(double AtSeconds, string Kind, string Connection);

/// <summary>All requests; failures split by whether their connection carried a fault.</summary>
internal sealed record RequestSummary(
    int Total, int Succeeded, int Failed, int FailedOnHealthyConnections, int FailedOnFaultedConnections, IReadOnlyList<string> HealthyFailureSamples);

/// <summary>
/// The requests sent by the hosts using one strategy. <c>p50Ms</c>/<c>p99Ms</c> are of the successful requests only (to
/// within 1 %, see <see cref="LatencyHistogram"/>): a request that failed, e.g. timed out on a faulted connection, is
/// in <c>failed</c> instead, so compare strategies on both.
/// </summary>
internal sealed record StrategySummary(string Strategy, IReadOnlyList<string> Hosts, int Requests, int Failed, double? P50Ms, double? P99Ms);

/// <summary>One step as it ran: when injected, when the dialer's health monitoring noticed, when the connection was replaced.</summary>
internal sealed record FaultSummary(
    string Kind,
    string Connection,
    double InjectedAtSeconds,
    double? DetectedAtSeconds,
    double? DetectionSeconds,
    string? DetectedAs,
    double? ReplacedAtSeconds,
    string? Skipped);

/// <summary>System.Text.Json source generation for <see cref="DemoSummary"/> (no reflection; trimming-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(DemoSummary))]
internal sealed partial class DemoJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context with an encoder that leaves '+', '&gt;' and non-ASCII text as they are: the document goes to a terminal or a
    /// file, never into HTML, so the default escaping would only make it harder to read.
    /// </summary>
    public static DemoJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
