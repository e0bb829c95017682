using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Resilink.EndToEnd.Tests.Hosting;

/// <summary>Options of <c>services.AddResilink()</c> that cannot work are refused when the application starts, by name.</summary>
public sealed class AddResilinkOptionsTests
{
    [Theory]
    [InlineData("peer", "/ip4/127.0.0.1/tcp/4001")] // no /p2p/<id>: DialPeerAsync cannot dial it
    [InlineData("peer", "not-a-multiaddr")]
    [InlineData("listen", "/ip4/nowhere")]
    [InlineData("retry", "PeerRetryInterval")]
    public async Task StartAsync_BadNodeOptions_ThrowsOptionsValidationExceptionNamingTheProblem(string setting, string named)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddResilink(node =>
        {
            switch (setting)
            {
                case "peer":
                    node.Peers.Add(named);
                    break;
                case "listen":
                    node.ListenAddresses.Add(named);
                    break;
                default:
                    node.PeerRetryInterval = TimeSpan.Zero;
                    break;
            }
        });
        await using WebApplication app = builder.Build();
        app.MapResilinkEndpoints();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(timeout.Token));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
