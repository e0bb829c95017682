using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Resilink.Cli.Live;
using Resilink.Health;

namespace Resilink.Cli.Demo;

/// <summary>
/// One run of <c>resilink demo</c>: prints the fault schedule, starts the swarm, then for <see cref="DemoSettings.Duration"/>
/// runs the load, the schedule and the live view side by side, and ends with the summary (text, or JSON with
/// <c>--json</c>: then stdout carries only the JSON document and progress goes to stderr). Ctrl+C ends the run early
/// with a partial summary.
/// </summary>
internal static class DemoRunner
{
    private const int EventsShown = 6;
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(3);

    /// <summary>Runs the demo; returns the exit code (0 done, 1 the swarm did not come up).</summary>
    public static async Task<int> RunAsync(DemoSettings settings, bool json, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        var live = !json && !Console.IsOutputRedirected;
        var progress = json ? Console.Error : Console.Out;
        var schedule = FaultSchedule.Create(settings.Seed, settings.Peers, settings.Duration);
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"resilink demo: {settings.Peers} hosts on 127.0.0.1, {FaultSchedule.ConnectionsPerPair} connections per pair through fault-injecting proxies, {settings.Duration.TotalSeconds:0} s of echo load, strategy {settings.Strategy?.ToString() ?? "mixed"}"));
        await progress.WriteLineAsync($"fault schedule (seed {settings.Seed}; --seed {settings.Seed} repeats it):");
        foreach (var line in FaultSchedule.Describe(schedule, settings.Peers))
        {
            await progress.WriteLineAsync("  " + line);
        }

        var clock = new DemoClock();
        var events = new DemoEvents();
        DemoSwarm swarm;
        try
        {
            swarm = await DemoSwarm.StartAsync(settings, clock, logging, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C before the load: still the promised (partial, here empty) summary, and exit 0 like any Ctrl+C.
            await progress.WriteLineAsync("resilink demo: interrupted before the load started");
            await WriteSummaryAsync(
                DemoSummaryBuilder.Build(settings, schedule, new RequestStats().Snapshot(), [], 0, TimeSpan.Zero, interrupted: true), json);
            return 0;
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or System.Net.Sockets.SocketException or Resilience.RetryExhaustedException)
        {
            await Console.Error.WriteLineAsync($"resilink demo: the swarm did not come up: {ex.Message}");
            return 1;
        }

        await using (swarm)
        {
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{swarm.InitialLinks.Count} connections up; strategies: {string.Join(", ", swarm.Hosts.Select(h => $"{h.Name} {settings.StrategyOf(h.Index)}"))}"));
            DemoEventFeed.Attach(swarm, clock, events);
            var injector = new FaultInjector(swarm, schedule, clock, events);
            var load = new LoadGenerator(swarm, clock);

            using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            run.CancelAfter(settings.Duration);
            clock.Start();
            swarm.MarkStarted();
            HealthView View() => BuildView(swarm, clock, load, events);
            var cursor = 0;
            var reporter = live
                ? LiveHealthTable.RunAsync(View, Refresh, run.Token)
                : PlainReporter.RunAsync(View, () => [.. events.Since(ref cursor).Select(e => e.ToString())], progress, PlainInterval, rows: false, run.Token);
            var loadTask = load.RunAsync(run.Token, cancellationToken);
            try
            {
                await injector.RunAsync(run.Token);
            }
            catch (OperationCanceledException) when (run.IsCancellationRequested)
            {
                // The run ended before the last step (a short run, or Ctrl+C).
            }
            catch (Exception)
            {
                // The schedule failed: stop the load and the view and wait for them, so the swarm is not disposed under
                // running workers; the schedule's failure is the one reported.
                await run.CancelAsync();
                try
                {
                    await Task.WhenAll(loadTask, reporter);
                }
                catch (Exception)
                {
                    // Secondary to the schedule's failure.
                }
                throw;
            }
            // The load runs to the end of the duration (the schedule may end before it); a failure of either surfaces here.
            await Task.WhenAll(loadTask, reporter);

            var summary = DemoSummaryBuilder.Build(
                settings, schedule, load.Stats.Snapshot(), injector.Records, swarm.Replacements, clock.Now, cancellationToken.IsCancellationRequested);
            await WriteSummaryAsync(summary, json);
        }
        return 0;
    }

    private static async Task WriteSummaryAsync(DemoSummary summary, bool json)
    {
        if (json)
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(summary, DemoJsonContext.Readable.DemoSummary));
        }
        else
        {
            DemoSummaryText.Write(summary, Console.Out);
        }
        await Console.Out.FlushAsync(CancellationToken.None);
    }

    private static HealthView BuildView(DemoSwarm swarm, DemoClock clock, LoadGenerator load, DemoEvents events)
    {
        var rows = new List<HealthRow>();
        foreach (var host in swarm.Hosts)
        {
            foreach (var connection in host.Host.GetConnections())
            {
                if (connection.Direction != Net.Swarm.ConnectionDirection.Outbound || connection.IsClosed
                    || swarm.Find(connection) is not { } link || host.Host.HealthMonitor?.Snapshot(connection) is not { } snapshot)
                {
                    continue;
                }
                var name = link.Name;
                rows.Add(HealthRow.From($"h{link.Dialer}->h{link.Listener}", name[name.IndexOfAny(['#', '+', ':'])..], snapshot, link.Fault));
            }
        }
        rows.Sort((a, b) => (string.CompareOrdinal(a.Peer, b.Peer), string.CompareOrdinal(a.Connection, b.Connection)) switch { (0, var c) => c, (var p, _) => p });
        var totals = load.Stats.Counts(); // every second: counts only, no percentiles
        var title = string.Create(CultureInfo.InvariantCulture, $"resilink demo · {clock.Now.TotalSeconds:0} s of {swarm.Settings.Duration.TotalSeconds:0}");
        var status = string.Create(CultureInfo.InvariantCulture,
            $"requests {totals.Requests}, failed {totals.Failed} ({totals.FailedOnHealthy} on healthy connections), replaced {swarm.Replacements}, unhealthy now {rows.Count(r => r.Status is HealthStatus.Unhealthy or HealthStatus.Dead)}");
        return new HealthView(title, rows, status, [.. events.Recent(EventsShown).Select(e => e.ToString())]);
    }
}
