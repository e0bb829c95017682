using System.Text.Json;
using Microsoft.Playwright;
using Resilink.Net.Addressing;
using Resilink.Net.Chaos;
using Resilink.Net.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Resilink.EndToEnd.Tests.Hosting;
using Resilink.EndToEnd.Tests.Support;
using Resilink.TestSupport;
using Resilink.Tests.Shared;
using Xunit.Abstractions;

namespace Resilink.EndToEnd.Tests.Dashboard;

/// <summary>
/// The dashboard in a real headless Chromium (Debian's, driven by Playwright): a <c>resilink daemon</c> process with two
/// peers in the test, one of them behind a fault-injecting proxy that the test black-holes.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Dashboard_PeerBlackHoled_ItsRowsTurnUnhealthyOrDeadWithoutAReloadAndNoConsoleErrors()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var direct = new Libp2pHost();
        await direct.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")]);
        await using var proxied = new Libp2pHost();
        await proxied.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")]);
        await using var proxy = await FaultInjectingProxy.StartAsync(proxied.ListenAddresses[0], ct: deadline.Token);
        using var data = new TempDirectory("resilink-dashboard-");
        await using var daemon = CliProcess.Start(
            "daemon", "--http", "127.0.0.1:0", "--data-dir", data.Path, "--connections", "2", "--health-interval", "0.3", "--ping-timeout", "1",
            "--peer", direct.ListenAddresses[0].Encapsulate("/p2p/" + direct.PeerId).ToString(),
            "--peer", proxy.ListenAddress.Encapsulate("/p2p/" + proxied.PeerId).ToString());
        var dashboard = await DashboardUrlAsync(daemon, deadline.Token);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { Headless = true, ExecutablePath = Chromium() });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add($"console: {message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add($"page error: {error}");
            }
        };
        await page.GotoAsync(dashboard.ToString());

        // One row per connection: two per peer, all healthy once pinged.
        await page.WaitForFunctionAsync(
            "([a, b]) => ['Healthy'].every(s => document.querySelectorAll(`tr.connection[data-peer-id='${a}'][data-status='${s}'][data-closed='false']`).length === 2" +
            " && document.querySelectorAll(`tr.connection[data-peer-id='${b}'][data-status='${s}'][data-closed='false']`).length === 2)",
            new[] { direct.PeerId.ToString(), proxied.PeerId.ToString() });
        // Open rows only: a connection closed early on (a dial that lost a race, say) stays on the page as a closed row.
        var all = await ConnectionRowsAsync(page);
        var rows = all.Where(r => !r.Closed).ToList();
        output.WriteLine($"rows once healthy: {string.Join(", ", all)}");
        Assert.True(rows.Count == 4, $"open rows: {string.Join(", ", all)}\n{daemon.Output}");
        Assert.Equal(2, rows.Count(r => r.PeerId == direct.PeerId.ToString()));
        var blackHoled = rows.Where(r => r.PeerId == proxied.PeerId.ToString()).Select(r => r.Id).ToList();
        await page.EvaluateAsync("() => { window.__beforeBlackHole = true; }");
        await Expect(page.Locator("[data-testid=live-indicator]")).ToHaveAttributeAsync("data-state", "live");

        proxy.BlackHoleAll();

        // Pings through the black hole time out; each of that peer's rows shows it (the node then closes and replaces
        // them, and the page keeps the closed rows with the status they went out with).
        await page.WaitForFunctionAsync(
            "ids => ids.every(id => ['Unhealthy', 'Dead'].includes(document.querySelector(`tr.connection[data-connection-id='${id}']`)?.dataset.status))",
            blackHoled);
        // The next snapshot agrees: the peer as a whole is down too (its rows turn at once on the status events).
        await Expect(page.Locator($"tr.peer[data-peer-id='{proxied.PeerId}']")).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("^(Unhealthy|Dead)$"));
        var after = await ConnectionRowsAsync(page);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__beforeBlackHole === true"), "the page was reloaded");
        Assert.All(blackHoled, id => Assert.Contains(after.Single(r => r.Id == id).Status, new[] { "Unhealthy", "Dead" }));
        // The direct peer is untouched. (Its peer row, not each connection: on a loaded machine one ping can miss its
        // deadline and a connection be replaced, which is the product working, not the fault under test.)
        await Expect(page.Locator($"tr.peer[data-peer-id='{direct.PeerId}']")).ToHaveAttributeAsync("data-status", "Healthy");
        await Expect(page.Locator("[data-testid=history-chart] polyline.rtt")).ToHaveCountAsync(1);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshot: {screenshot}");
        await browser.CloseAsync(); // before the daemon goes, so its end is no error on the page
        lock (errors)
        {
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
    }

    [Fact]
    public async Task Dashboard_EventStreamAnsweredWithAnError_ReconnectsByItselfWithBackoff()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var daemon = CliProcess.Start("daemon", "--no-history", "--http", "127.0.0.1:0");
        var dashboard = await DashboardUrlAsync(daemon, deadline.Token);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { Headless = true, ExecutablePath = Chromium() });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        // What a proxy answers while the node restarts: not an event stream, so EventSource closes for good.
        int refused = 0;
        await page.RouteAsync("**/api/dashboard/events", async route =>
        {
            Interlocked.Increment(ref refused);
            await route.FulfillAsync(new RouteFulfillOptions { Status = 503, ContentType = "text/plain", Body = "restarting" });
        });

        await page.GotoAsync(dashboard.ToString());
        await Poll.UntilAsync(() => Volatile.Read(ref refused) >= 2, TimeSpan.FromMilliseconds(50), () => $"{refused} attempts", deadline.Token);
        var indicator = page.Locator("[data-testid=live-indicator]");
        await Expect(indicator).ToHaveAttributeAsync("data-state", "reconnecting");
        await Expect(indicator).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^reconnecting in \d+ s$"));
        await page.UnrouteAsync("**/api/dashboard/events");

        await Expect(indicator).ToHaveAttributeAsync("data-state", "live"); // the next attempt reaches the node
        Assert.True(await page.Locator("[data-testid=node-peer-id]").TextContentAsync() is { Length: > 0 }, "a snapshot arrived");
        await browser.CloseAsync();
    }

    [Fact]
    public async Task Dashboard_UnderARouteGroupPrefix_LoadsItsFilesAndGoesLiveThere()
    {
        using var deadline = new CancellationTokenSource(Patience);
        var (peer, address) = await HostedApp.StartPeerAsync(deadline.Token);
        await using var _ = peer;
        var builder = HostedApp.CreateBuilder();
        builder.Services.AddResilink(node => node.Peers.Add(address)).AddDashboard();
        await using var app = builder.Build();
        app.MapGroup("/ops").MapResilinkDashboard();
        using var http = await HostedApp.StartAsync(app, deadline.Token);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { Headless = true, ExecutablePath = Chromium() });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        var failed = new List<string>();
        page.RequestFailed += (_, request) => { lock (failed) { failed.Add(request.Url); } };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (failed) { failed.Add($"{response.Status} {response.Url}"); }
            }
        };
        await page.GotoAsync(new Uri(http.BaseAddress!, "ops").ToString()); // redirected to /ops/, against which the page's URLs resolve

        Assert.EndsWith("/ops/", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("[data-testid=live-indicator]")).ToHaveAttributeAsync("data-state", "live");
        await page.WaitForFunctionAsync("id => document.querySelectorAll(`tr.connection[data-peer-id='${id}']`).length > 0", peer.PeerId.ToString());
        lock (failed)
        {
            Assert.Empty(failed);
        }
        await browser.CloseAsync();
        await app.StopAsync(deadline.Token);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static async Task<List<Row>> ConnectionRowsAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>(
            "() => JSON.stringify([...document.querySelectorAll('tr.connection')].map(r => ({ id: r.dataset.connectionId, peerId: r.dataset.peerId, status: r.dataset.status, closed: r.dataset.closed === 'true' })))");
        return JsonSerializer.Deserialize<List<Row>>(json, JsonSerializerOptions.Web)!;
    }

    /// <summary>Debian's chromium from PATH: Playwright drives it as it is, with no browser download.</summary>
    private static string Chromium()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            "'chromium' is not on PATH. The dashboard test drives Debian's chromium (apt-get install -y chromium chromium-driver; ./test.sh installs it).");
    }

    /// <summary>Waits for "dashboard on http://127.0.0.1:PORT/" and returns that URL.</summary>
    private static async Task<Uri> DashboardUrlAsync(CliProcess daemon, CancellationToken cancellationToken)
    {
        try
        {
            var line = await daemon.WaitForLineAsync(l => l.StartsWith("dashboard on ", StringComparison.Ordinal), cancellationToken);
            return new Uri(line["dashboard on ".Length..]);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"resilink daemon never said where its dashboard is. Output:\n{daemon.Output}");
        }
    }

    private sealed record Row(string Id, string PeerId, string Status, bool Closed);
}
