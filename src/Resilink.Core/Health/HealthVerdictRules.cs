using System.Globalization;

namespace Resilink.Health;

/// <summary>The rules that turn a connection's facts into a <see cref="HealthVerdict"/>, worst first.</summary>
internal static class HealthVerdictRules
{
    public static HealthVerdict Decide(HealthOptions options, in HealthVerdictInputs facts)
    {
        if (facts.CloseReason is not null)
        {
            return facts.ClosedLocally
                ? new(HealthStatus.Closed, true, "closed locally: " + facts.CloseReason)
                : new(HealthStatus.Dead, true, "closed: " + facts.CloseReason);
        }

        int failures = facts.ConsecutivePingFailures;
        if (failures >= options.FailureThreshold)
        {
            return new(HealthStatus.Dead, true, Text($"ping failed {failures} {(failures == 1 ? "time" : "times")} in a row"));
        }

        // Phi only grows between answers, so it condemns only after a ping actually went unanswered:
        // a connection that simply was not checked for a while is not dead.
        if (failures >= 1 && facts.Phi >= options.PhiThreshold)
        {
            return new(HealthStatus.Dead, true, Text($"phi {facts.Phi:0.0} >= {options.PhiThreshold:0.##}"));
        }

        if (!facts.HasEvidence)
        {
            return new(HealthStatus.Unknown, false, "no ping result yet");
        }

        double score = facts.Score.Score;
        if (score < options.MinHealthThreshold)
        {
            return new(HealthStatus.Unhealthy, false, Text($"score {score:0.00} < {options.MinHealthThreshold:0.##}"));
        }

        string? degraded = DegradedReasons(options, facts.Measurements, score);
        return degraded is null
            ? new(HealthStatus.Healthy, false, Text($"healthy: score {score:0.00}"))
            : new(HealthStatus.Degraded, false, degraded);
    }

    // Every limit breached, so that the reason names all the causes at once.
    private static string? DegradedReasons(HealthOptions options, in HealthScoreInputs m, double score)
    {
        var reasons = new List<string>(4);
        if (score < options.HealthyThreshold)
        {
            reasons.Add(Text($"score {score:0.00} < {options.HealthyThreshold:0.##}"));
        }

        if (m.HasRtt && m.RttAverage > options.MaxPingLatency)
        {
            reasons.Add(Text($"RTT {m.RttAverage.TotalMilliseconds:0} ms > max {options.MaxPingLatency.TotalMilliseconds:0} ms"));
        }

        if (m.PingSuccessRate < options.MinPingSuccessRate)
        {
            reasons.Add(Text($"ping success {m.PingSuccessRate:0%} < {options.MinPingSuccessRate:0%}"));
        }

        if (m.RecentFailures > options.MaxFailedStreams)
        {
            reasons.Add(Text($"{m.RecentFailures} failures in the last {Duration(options.FailureMemory)} > max {options.MaxFailedStreams}"));
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    private static string Duration(TimeSpan span) => span.TotalMinutes >= 1 && span.Seconds == 0 && span.Milliseconds == 0
        ? Text($"{span.TotalMinutes:0.##} min")
        : Text($"{span.TotalSeconds:0.###} s");

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
