using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilink.Balancing;
using Resilink.Hosting;

namespace Resilink.EndToEnd.Tests.Hosting;

/// <summary><c>services.AddResilink(configuration.GetSection("Resilink"))</c>: options bound by name, bad ones refused by name.</summary>
public sealed class AddResilinkConfigurationTests
{
    [Fact]
    public void AddResilink_Configuration_BindsNestedOptionsAndReplacesTheDefaultListenAddress()
    {
        var section = Section(new()
        {
            ["Resilink:NodeName"] = "edge-1",
            ["Resilink:ListenAddresses:0"] = "/ip4/127.0.0.1/tcp/4101",
            ["Resilink:PeerRetryInterval"] = "00:00:05",
            ["Resilink:Host:Health:EnableHealthMonitoring"] = "true",
            ["Resilink:Host:Health:HealthCheckInterval"] = "00:00:15",
            ["Resilink:Host:Connections:LoadBalancingStrategy"] = "LatencyBased",
            ["Resilink:Host:Connections:Retry:MaxRetries"] = "5",
        });

        var node = Resolve(section, configure: o => o.Host.Connections.MaxConnectionsPerPeer = 4);

        Assert.Equal("edge-1", node.NodeName);
        Assert.Equal(["/ip4/127.0.0.1/tcp/4101"], node.ListenAddresses);
        Assert.Equal(TimeSpan.FromSeconds(5), node.PeerRetryInterval);
        Assert.True(node.Host.Health.EnableHealthMonitoring);
        Assert.Equal(TimeSpan.FromSeconds(15), node.Host.Health.HealthCheckInterval);
        Assert.Equal(LoadBalancingStrategyKind.LatencyBased, node.Host.Connections.LoadBalancingStrategy);
        Assert.Equal(5, node.Host.Connections.Retry.MaxRetries);
        Assert.Equal(4, node.Host.Connections.MaxConnectionsPerPeer); // configure runs after binding
    }

    [Fact]
    public void AddResilink_ConfigurationWithAMisspelledKey_FailsNamingTheKey()
    {
        var section = Section(new() { ["Resilink:Host:Helth:EnableHealthMonitoring"] = "true" });

        var error = Assert.Throws<InvalidOperationException>(() => Resolve(section));

        Assert.Contains("Helth", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ConfigurationWithAnInvalidValue_ThrowsOptionsValidationExceptionNamingTheOption()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddResilink(Section(new() { ["Resilink:Host:Connections:MaxConnectionsPerPeer"] = "0" }));
        await using WebApplication app = builder.Build();
        app.MapResilinkEndpoints();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(timeout.Token));

        Assert.Contains("MaxConnectionsPerPeer", error.Message, StringComparison.Ordinal);
    }

    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Resilink");

    private static ResilinkNodeOptions Resolve(IConfiguration section, Action<ResilinkNodeOptions>? configure = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddResilink(section, configure);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ResilinkNodeOptions>>().Value;
    }
}
