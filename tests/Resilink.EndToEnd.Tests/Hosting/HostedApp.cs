using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Tests.Shared;

namespace Resilink.EndToEnd.Tests.Hosting;

/// <summary>An ASP.NET Core application for the hosting tests: silent, on a free loopback port, reading no appsettings.json of its own.</summary>
internal static class HostedApp
{
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        return builder;
    }

    /// <summary>Starts <paramref name="app"/> and returns a client for its address (no redirects followed).</summary>
    public static async Task<HttpClient> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        return new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(app.Urls.First().TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    /// <summary>A started libp2p peer on a free loopback port, and its address to put in <c>ResilinkNodeOptions.Peers</c>.</summary>
    public static async Task<(Libp2pHost Peer, string Address)> StartPeerAsync(CancellationToken cancellationToken)
    {
        var peer = new Libp2pHost();
        await peer.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], cancellationToken);
        return (peer, peer.ListenAddresses[0].Encapsulate("/p2p/" + peer.PeerId).ToString());
    }

    /// <summary>GETs <paramref name="path"/> until its body contains <paramref name="expected"/> (a peer's connection is made in the background).</summary>
    public static Task<string> PollUntilContainsAsync(HttpClient http, string path, string expected, CancellationToken cancellationToken) =>
        Poll.UntilAsync(
            () => http.GetStringAsync(path, cancellationToken),
            body => body.Contains(expected, StringComparison.Ordinal),
            TimeSpan.FromMilliseconds(100),
            body => $"/{path} never contained {expected}; last:\n{body}",
            cancellationToken);
}
