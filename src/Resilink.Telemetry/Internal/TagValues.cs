using Resilink.Health;
using Resilink.Monitoring;
using Resilink.Resilience;

namespace Resilink.Telemetry.Internal;

/// <summary>The fixed tag values: lowercase names of Resilink's enums, and directions. Undefined values are <c>unknown</c>.</summary>
internal static class TagValues
{
    public const string Inbound = "inbound";
    public const string Outbound = "outbound";
    public const string In = "in";
    public const string Out = "out";

    private static readonly string[] ConnectionStates = ["disconnected", "connecting", "connected", "disconnecting", "failed"];
    private static readonly string[] AttemptOutcomes = ["success", "failure", "timeout"];
    private static readonly string[] StreamOutcomes = ["opened", "failed", "reset"];
    private static readonly string[] CircuitStates = ["closed", "open", "half_open", "isolated"];
    private static readonly string[] ReconnectOutcomes = ["success", "failure", "gave_up"];
    private static readonly string[] ReplacementReasons = ["unhealthy", "dead", "broken"];
    private static readonly string[] FailoverStates = ["primary", "secondary", "failing_over", "failing_back", "unavailable"];
    private static readonly string[] HealthStatuses = ["unknown", "healthy", "degraded", "unhealthy", "dead", "closed"];

    public static string Of(ConnectionState state) => Lookup(ConnectionStates, (int)state);

    public static string Of(AttemptOutcome outcome) => Lookup(AttemptOutcomes, (int)outcome);

    public static string Of(StreamOutcome outcome) => Lookup(StreamOutcomes, (int)outcome);

    public static string Of(CircuitState state) => Lookup(CircuitStates, (int)state);

    public static string Of(ReconnectOutcome outcome) => Lookup(ReconnectOutcomes, (int)outcome);

    public static string Of(ReplacementReason reason) => Lookup(ReplacementReasons, (int)reason);

    public static string Of(FailoverState state) => Lookup(FailoverStates, (int)state);

    public static string Of(HealthStatus status) => Lookup(HealthStatuses, (int)status);

    private static string Lookup(string[] names, int index) =>
        (uint)index < (uint)names.Length ? names[index] : ResilinkTelemetryConstants.UnknownTagValue;
}
