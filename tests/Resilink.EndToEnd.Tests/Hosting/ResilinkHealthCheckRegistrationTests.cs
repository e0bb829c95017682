using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Resilink.Net.Identity;

namespace Resilink.EndToEnd.Tests.Hosting;

/// <summary>
/// <c>services.AddHealthChecks().AddResilink(name, failureStatus, tags)</c>, the form of the AspNetCore.Diagnostics.HealthChecks
/// packages: a node whose only configured peer is down is Unhealthy by the rules, and reported as the registration says.
/// </summary>
public sealed class ResilinkHealthCheckRegistrationTests
{
    [Fact]
    public async Task AddResilink_Defaults_ReportsAnUnhealthyNodeAsUnhealthyUnderTheNameResilink()
    {
        var entry = await CheckAsync(checks => checks.AddResilink(), "resilink");

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("0 of 1 configured peers up", entry.Description, StringComparison.Ordinal);
        Assert.Empty(entry.Tags);
    }

    [Fact]
    public async Task AddResilink_FailureStatus_ReportsAnUnhealthyNodeAsThatStatusWithTheGivenNameAndTags()
    {
        var entry = await CheckAsync(checks => checks.AddResilink("p2p", HealthStatus.Degraded, ["ready", "p2p"]), "p2p");

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("0 of 1 configured peers up", entry.Description, StringComparison.Ordinal);
        Assert.Equal(["ready", "p2p"], entry.Tags);
    }

    [Fact]
    public async Task AddResilink_TwoRegistrations_EachJudgesWithItsOwnThresholds()
    {
        var report = await ReportAsync(checks => checks
            .AddResilink()
            .AddResilink(thresholds => thresholds.MinimumPeersUp = 0, name: "lenient"));

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["resilink"].Status);
        Assert.Equal(HealthStatus.Degraded, report.Entries["lenient"].Status); // a configured peer down, none required
    }

    [Fact]
    public async Task AddResilink_ThresholdsOutOfRange_FailTheStartNamingEach()
    {
        var services = NodeWithOneUnreachablePeer();
        services.AddHealthChecks().AddResilink(thresholds =>
        {
            thresholds.MinimumPeersUp = -1;
            thresholds.DegradedScoreThreshold = 2;
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<Resilink.Hosting.ResilinkHealthCheckOptions>>().Get("resilink"));

        Assert.Contains("MinimumPeersUp", error.Message, StringComparison.Ordinal);
        Assert.Contains("DegradedScoreThreshold", error.Message, StringComparison.Ordinal);
    }

    private static async Task<HealthReportEntry> CheckAsync(Action<IHealthChecksBuilder> register, string name) =>
        (await ReportAsync(register)).Entries[name];

    private static async Task<HealthReport> ReportAsync(Action<IHealthChecksBuilder> register)
    {
        var services = NodeWithOneUnreachablePeer();
        register(services.AddHealthChecks());
        await using var provider = services.BuildServiceProvider();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(timeout.Token);
    }

    // The node is never started: its one configured peer is simply not connected, which the rules call Unhealthy.
    private static ServiceCollection NodeWithOneUnreachablePeer()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddResilink(node => node.Peers.Add($"/ip4/127.0.0.1/tcp/9/p2p/{KeyPair.GenerateEd25519().PeerId}"));
        return services;
    }
}
