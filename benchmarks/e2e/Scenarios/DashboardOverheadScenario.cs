using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.TestSupport;

namespace Resilink.E2e.Scenarios;

/// <summary>
/// What the dashboard costs the daemon: a real <c>resilink daemon</c> process keeping <c>peers</c> × <c>connections</c>
/// connections (health pings every second) to libp2p hosts in this process, its CPU time read from /proc over fixed
/// windows with no dashboard open, with one server-sent-events client (what an open page costs the server), and with
/// a real headless chromium showing the page (when chromium is on PATH), in rotating order.
/// </summary>
internal static class DashboardOverheadScenario
{
    private enum Variant
    {
        Closed,
        EventStream,
        Browser,
    }

    public static async Task RunAsync(int peers, int connections, TimeSpan window, int repeat, CancellationToken cancellationToken)
    {
        var hosts = new List<Libp2pHost>();
        try
        {
            for (var i = 0; i < peers; i++)
            {
                var host = new Libp2pHost();
                await host.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], cancellationToken);
                hosts.Add(host);
            }
            var arguments = new List<string> { "daemon", "--http", "127.0.0.1:0", "--connections", Text($"{connections}"), "--health-interval", "1", "--ping-timeout", "2" };
            foreach (var host in hosts)
            {
                arguments.AddRange(["--peer", host.ListenAddresses[0].Encapsulate("/p2p/" + host.PeerId).ToString()]);
            }
            await using var daemon = CliProcess.Start([.. arguments]);
            var line = await daemon.WaitForLineAsync(l => l.StartsWith("dashboard on ", StringComparison.Ordinal), cancellationToken);
            var dashboard = new Uri(line["dashboard on ".Length..]);
            using var http = new HttpClient { BaseAddress = dashboard, Timeout = Timeout.InfiniteTimeSpan };
            await WaitForConnectionsAsync(http, peers * connections, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken); // dial bursts and JIT done before measuring

            var chromium = FindOnPath("chromium");
            var variants = Enum.GetValues<Variant>().Where(v => v != Variant.Browser || chromium is not null).ToArray();
            var results = variants.ToDictionary(v => v, _ => new List<double>());
            Console.WriteLine(Text($"daemon pid {daemon.Id}: {peers} peers x {connections} connections up; {window.TotalSeconds:0} s windows{(chromium is null ? " (no chromium on PATH: no browser window)" : "")}"));
            // Round 0 is a warm-up, not reported: the daemon's CPU falls over its first minutes as tiered JIT settles.
            for (var round = 0; round <= repeat; round++)
            {
                foreach (var variant in variants.Skip(round % variants.Length).Concat(variants.Take(round % variants.Length)))
                {
                    var (percent, events) = await MeasureAsync(variant, daemon.Id, http, dashboard, chromium, window, cancellationToken);
                    if (round > 0)
                    {
                        results[variant].Add(percent);
                    }
                    Console.WriteLine(Text($"round {round}{(round == 0 ? " (warm-up)" : "")} {variant,-12}: daemon CPU {percent,6:0.00} % of one core{(events > 0 ? $", {events} events read" : "")}, load average {LoadAverage()}"));
                }
            }

            double Median(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);
            var closed = results[Variant.Closed];
            Console.WriteLine();
            Console.WriteLine(Text($"medians of {repeat} rounds ({peers} peers x {connections} connections, health pings every second); paired = the median over rounds of (variant - closed of the same round):"));
            foreach (var variant in variants)
            {
                var median = Median(results[variant]);
                var paired = Median(results[variant].Select((p, i) => p - closed[i]));
                var ratio = Median(results[variant].Select((p, i) => p / closed[i]));
                Console.WriteLine(Text($"{variant,-12}: {median,6:0.00} % of one core; paired {paired:+0.00;-0.00;0.00} points, {ratio:0.00}x closed"));
            }
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static async Task<(double Percent, int Events)> MeasureAsync(
        Variant variant, int pid, HttpClient http, Uri dashboard, string? chromium, TimeSpan window, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<int> reader = Task.FromResult(0);
        Process? browser = null;
        string? profile = null;
        try
        {
            if (variant == Variant.EventStream)
            {
                var firstEvent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                reader = ReadEventsAsync(http, firstEvent, stop.Token);
                await firstEvent.Task.WaitAsync(cancellationToken);
            }
            else if (variant == Variant.Browser)
            {
                profile = Directory.CreateTempSubdirectory("resilink-bench-chromium-").FullName;
                var start = new ProcessStartInfo(chromium!) { RedirectStandardError = true, RedirectStandardOutput = true };
                foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", $"--user-data-dir={profile}", dashboard.ToString() })
                {
                    start.ArgumentList.Add(argument);
                }
                browser = Process.Start(start)!;
                browser.OutputDataReceived += (_, _) => { };
                browser.ErrorDataReceived += (_, _) => { };
                browser.BeginOutputReadLine();
                browser.BeginErrorReadLine();
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken); // the browser starts, loads the page and opens its stream
            }
            else
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // the previous window's client is gone
            }

            var before = CpuSeconds(pid);
            var started = Stopwatch.GetTimestamp();
            await Task.Delay(window, cancellationToken);
            var cpu = CpuSeconds(pid) - before;
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await stop.CancelAsync();
            return (100 * cpu / elapsed, await reader);
        }
        finally
        {
            if (browser is not null)
            {
                browser.Kill(entireProcessTree: true);
                await browser.WaitForExitAsync(CancellationToken.None);
                browser.Dispose();
                Directory.Delete(profile!, recursive: true);
            }
        }
    }

    private static async Task<int> ReadEventsAsync(HttpClient http, TaskCompletionSource firstEvent, CancellationToken cancellationToken)
    {
        var events = 0;
        try
        {
            using var response = await http.GetAsync("api/dashboard/events", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            using var stream = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (await stream.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    events++;
                    firstEvent.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The window is over.
        }
        return events;
    }

    private static async Task WaitForConnectionsAsync(HttpClient http, int expected, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            using var snapshot = JsonDocument.Parse(await http.GetStringAsync("api/dashboard/snapshot", cancellationToken));
            var totals = snapshot.RootElement.GetProperty("totals");
            var healthy = totals.GetProperty("connectionsByStatus").GetProperty("Healthy").GetInt32();
            if (healthy >= expected)
            {
                Console.WriteLine(Text($"{healthy} healthy connections after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"));
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    /// <summary>utime + stime of a process, fields 14 and 15 of /proc/PID/stat, in seconds (clock ticks of 1/100 s on Linux).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": field 3 is fields[0]
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
