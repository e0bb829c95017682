namespace Resilink.Cli.Demo;

/// <summary>Gathers a <see cref="DemoSummary"/> from the parts of a run.</summary>
internal static class DemoSummaryBuilder
{
    /// <summary>Builds the summary at <paramref name="elapsed"/> after the start of the load.</summary>
    public static DemoSummary Build(
        DemoSettings settings,
        IReadOnlyList<FaultStep> schedule,
        RequestTotals requests,
        IReadOnlyList<FaultRecord> faults,
        int connectionsReplaced,
        TimeSpan elapsed,
        bool interrupted)
    {
        var strategies = requests.Strategies.Select(s => new StrategySummary(
            s.Strategy.ToString(),
            [.. Enumerable.Range(0, settings.Peers).Where(i => settings.StrategyOf(i) == s.Strategy).Select(i => $"h{i}")],
            s.Requests,
            s.Failed,
            Round(s.P50Ms),
            Round(s.P99Ms))).ToList();
        var faultSummaries = faults.Select(f => new FaultSummary(
            FaultSchedule.KindName(f.Step.Kind),
            f.Link.Name,
            Seconds(f.InjectedAt),
            f.DetectedAt is { } d ? Seconds(d) : null,
            f.DetectedAt is { } at ? Seconds(at - f.InjectedAt) : null,
            f.DetectedAs,
            f.ReplacedAt is { } r ? Seconds(r) : null,
            f.Skipped)).ToList();
        return new DemoSummary(
            settings.Peers,
            settings.Duration.TotalSeconds,
            Seconds(elapsed),
            settings.Seed,
            settings.Strategy?.ToString() ?? "all",
            interrupted,
            [.. schedule.Select(s => new ScheduledFault(s.At.TotalSeconds, FaultSchedule.KindName(s.Kind), DemoLinkName.Of(s.Link, settings.Peers)))],
            new RequestSummary(
                requests.Requests,
                requests.Requests - requests.Failed,
                requests.Failed,
                requests.FailedOnHealthy,
                requests.FailedOnFaulted,
                requests.HealthyFailureMessages),
            strategies,
            faults.Count(f => f.Step.Kind != FaultKind.Recovery && f.Skipped is null),
            faultSummaries,
            connectionsReplaced);
    }

    private static double Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 2);

    private static double? Round(double? ms) => ms is { } v ? Math.Round(v, 2) : null;
}
