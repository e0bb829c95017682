using System.Diagnostics;

namespace Resilink.Net.Diagnostics;

/// <summary>
/// The <see cref="ActivitySource"/> named <c>Resilink</c>: spans for dials (<c>resilink.dial</c>), connection upgrades
/// (<c>resilink.handshake</c>) and stream opens (<c>resilink.stream.open</c>). Collect them with OpenTelemetry's
/// <c>AddSource("Resilink")</c> (Resilink.Telemetry's <c>AddResilinkInstrumentation()</c> does it). Unobserved, starting a
/// span costs a null check.
/// </summary>
public static class ResilinkActivitySource
{
    /// <summary>The source name, also the meter name of Resilink's metrics.</summary>
    public const string Name = "Resilink";

    /// <summary>Span of one dial, from TCP connect to a ready connection.</summary>
    public const string DialActivity = "resilink.dial";

    /// <summary>Span of one upgrade: security and muxer negotiation.</summary>
    public const string HandshakeActivity = "resilink.handshake";

    /// <summary>Span of opening and negotiating one outbound stream.</summary>
    public const string StreamOpenActivity = "resilink.stream.open";

    // An ActivitySource is a process-wide name, as OpenTelemetry expects; it holds no per-host state (unlike a Meter).
    internal static ActivitySource Source { get; } = new(Name, typeof(ResilinkActivitySource).Assembly.GetName().Version?.ToString());

    internal static void RecordError(Activity? activity, Exception error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        activity.SetTag("error.type", error.GetType().Name);
    }
}
