using System.Net;
using System.Text;
using System.Text.Json;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Samples;

/// <summary>The <c>samples/Resilink.Samples.MinimalApi</c> app, built and run as a process against a libp2p peer in the test.</summary>
public sealed class MinimalApiSampleTests
{
    [Fact]
    public async Task Sample_WithOnePeer_IsHealthyListsThePeerAndEchoesThroughIt()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        await using var peer = new Libp2pHost();
        await peer.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], deadline.Token);
        var assembly = CliProcess.ProjectAssembly(Path.Combine("samples", "Resilink.Samples.MinimalApi"), "Resilink.Samples.MinimalApi");
        await using var app = CliProcess.StartAssembly(
            assembly, CliProcess.ProjectDirectory(Path.Combine("samples", "Resilink.Samples.MinimalApi")), "--urls", "http://127.0.0.1:0",
            "--Resilink:Peers:0", $"{peer.ListenAddresses[0]}/p2p/{peer.PeerId}",
            "--Resilink:Host:Health:HealthCheckInterval", "00:00:00.200");
        var listening = await app.WaitForLineAsync(line => line.Contains("Now listening on: http://", StringComparison.Ordinal), deadline.Token);
        using var http = new HttpClient { BaseAddress = new Uri(listening[listening.IndexOf("http://", StringComparison.Ordinal)..].Trim() + "/") };

        try
        {
            // The node dials its peer in the background once it is up: /healthz says Unhealthy (503) until then, and
            // the peer's three connections register one by one.
            while (await BodyAsync(http, "healthz", deadline.Token) != "Healthy"
                || !(await BodyAsync(http, "peers", deadline.Token)).Contains("\"connections\":3", StringComparison.Ordinal))
            {
                await Task.Delay(100, deadline.Token);
            }
            using var peers = JsonDocument.Parse(await http.GetStringAsync("peers", deadline.Token));
            var listed = Assert.Single(peers.RootElement.EnumerateArray());
            Assert.Equal(peer.PeerId.ToString(), listed.GetProperty("peer").GetString());
            Assert.Equal(3, listed.GetProperty("connections").GetInt32());

            using var echo = await http.PostAsync($"echo/{peer.PeerId}", new StringContent("hello over libp2p", Encoding.UTF8), deadline.Token);
            Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
            Assert.Equal("hello over libp2p", await echo.Content.ReadAsStringAsync(deadline.Token));

            using var badPeer = await http.PostAsync("echo/not-a-peer", new StringContent("x"), deadline.Token);
            Assert.Equal(HttpStatusCode.BadRequest, badPeer.StatusCode);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"Sample output:\n{app.Output}", ex);
        }
    }

    private static async Task<string> BodyAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}
