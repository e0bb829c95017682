using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Resilink.Hosting;
using Resilink.Net.Host;

namespace Resilink.EndToEnd.Tests.Dashboard;

/// <summary>A node in the test process as the daemon builds it (AddResilink().AddDashboard(), MapResilinkDashboard) on a free loopback port.</summary>
internal sealed class DashboardNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardNode(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Libp2pHost Host => _app.Services.GetRequiredService<Libp2pHost>();

    public static async Task<DashboardNode> StartAsync(
        IEnumerable<string> peers, Action<IServiceCollection>? services, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddResilink(node =>
        {
            node.ListenAddresses.Clear();
            node.ListenAddresses.Add("/ip4/127.0.0.1/tcp/0");
            foreach (var peer in peers)
            {
                node.Peers.Add(peer);
            }
            node.Host.Connections.MaxConnectionsPerPeer = 2;
            node.Host.Health.EnableHealthMonitoring = true;
            node.Host.Health.HealthCheckInterval = TimeSpan.FromMilliseconds(200);
            node.Host.Health.PingTimeout = TimeSpan.FromSeconds(1);
        }).AddDashboard();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapResilinkEndpoints();
        app.MapResilinkDashboard();
        await app.StartAsync(cancellationToken);
        return new DashboardNode(app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
