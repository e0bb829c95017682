using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilink.Net.Addressing;
using Resilink.Net.Chaos;
using Resilink.Net.Host;
using Resilink.Tests.Shared;
using Xunit.Abstractions;

namespace Resilink.EndToEnd.Tests.Hosting;

/// <summary>
/// <c>/healthz</c> of a real Kestrel node with two peers, each behind a fault-injecting proxy: Healthy, then Degraded
/// when one peer's connections go silent, then Unhealthy when the other's do too.
/// </summary>
public sealed class HealthzEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Healthz_GoesDegradedThenUnhealthy_AsPeersConnectionsDie()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var peerA = await StartPeerAsync(deadline.Token);
        await using var peerB = await StartPeerAsync(deadline.Token);
        await using var proxyA = await FaultInjectingProxy.StartAsync(peerA.ListenAddresses[0], ct: deadline.Token);
        await using var proxyB = await FaultInjectingProxy.StartAsync(peerB.ListenAddresses[0], ct: deadline.Token);
        var logs = new CapturingLoggerFactory();
        await using var node = await StartNodeAsync(
            [Through(proxyA, peerA), Through(proxyB, peerB)], logs, deadline.Token);
        using var http = new HttpClient { BaseAddress = node.Urls.Select(u => new Uri(u + "/")).First() };
        var seen = new List<string>();

        try
        {
            await WaitForAsync(http, "Healthy", seen, deadline.Token);
            seen.Clear();

            proxyA.BlackHoleAll();
            await WaitForAsync(http, "Degraded", seen, deadline.Token);
            Assert.All(seen, s => Assert.Contains(s, new[] { "Healthy", "Degraded" })); // one peer left: never Unhealthy
            seen.Clear();

            proxyB.BlackHoleAll();
            var status = await WaitForAsync(http, "Unhealthy", seen, deadline.Token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        }
        catch
        {
            output.WriteLine($"/healthz answers: {string.Join(", ", seen)}");
            output.WriteLine(logs.Describe());
            throw;
        }
    }

    private static async Task<HttpStatusCode> WaitForAsync(HttpClient http, string wanted, List<string> seen, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var response = await http.GetAsync("healthz", cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (seen.Count == 0 || seen[^1] != body)
            {
                seen.Add(body);
            }
            if (body == wanted)
            {
                return response.StatusCode;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private static string Through(FaultInjectingProxy proxy, Libp2pHost peer) => $"{proxy.ListenAddress}/p2p/{peer.PeerId}";

    private static async Task<Libp2pHost> StartPeerAsync(CancellationToken cancellationToken)
    {
        var peer = new Libp2pHost();
        await peer.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], cancellationToken);
        return peer;
    }

    private static async Task<WebApplication> StartNodeAsync(string[] peers, CapturingLoggerFactory logs, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ILoggerFactory>(logs);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddResilink(node =>
        {
            node.Host = ConnectionProfiles.Development();
            // Quick detection of a silent connection, with a ping timeout loose enough that a loaded CI machine does
            // not fail the live peer's pings too (which would make the node Unhealthy while one peer is still up).
            node.Host.Health.HealthCheckInterval = TimeSpan.FromMilliseconds(500);
            node.Host.Health.PingTimeout = TimeSpan.FromMilliseconds(1500);
            node.PeerRetryInterval = TimeSpan.FromSeconds(1);
            foreach (var peer in peers)
            {
                node.Peers.Add(peer);
            }
        });
        builder.Services.AddHealthChecks().AddResilink(checks => checks.MinimumPeersUp = 1);
        var app = builder.Build();
        app.MapHealthChecks("/healthz");
        await app.StartAsync(cancellationToken);
        return app;
    }
}
