using Resilink.Balancing;
using Resilink.Net.Host;

namespace Resilink.Net.Tests.Host;

/// <summary>The named profiles are valid, independent, and say what their docs say.</summary>
public sealed class ConnectionProfilesTests : IAsyncLifetime
{
    private readonly HostFixtures _fixtures = new();

    public static TheoryData<string> Profiles => ["Development", "Production", "HighLatency"];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixtures.DisposeAsync();

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Profile_Always_ValidatesAndIsANewInstanceEachCall(string name)
    {
        var first = Create(name);
        var second = Create(name);

        first.Validate();
        Assert.NotSame(first, second);
        Assert.NotSame(first.Health, second.Health);
        Assert.NotSame(first.Connections.Retry, second.Connections.Retry);
        Assert.True(first.Health.EnableHealthMonitoring);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Profile_TwoHosts_ConnectAndPing(string name)
    {
        var a = await _fixtures.StartHostAsync(Create(name));
        var b = await _fixtures.StartHostAsync(Create(name));

        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);
        var rtt = await a.PingAsync(b.PeerId, _fixtures.Token);

        Assert.True(rtt > TimeSpan.Zero);
    }

    [Fact]
    public void Profiles_DifferWhereTheirDocsSay()
    {
        var development = ConnectionProfiles.Development();
        var production = ConnectionProfiles.Production();
        var highLatency = ConnectionProfiles.HighLatency();

        Assert.Equal((2, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100)),
            (development.Connections.Retry.MaxRetries, development.Connections.Retry.InitialDelay, development.Connections.Retry.MaxDelay));
        Assert.False(development.CircuitBreaker.Enabled);
        Assert.Equal((5, 3, LoadBalancingStrategyKind.HealthBased, 0.6),
            (production.Connections.MaxConnectionsPerPeer, production.Connections.MinConnectionsPerPeer, production.Connections.LoadBalancingStrategy, production.Health.MinHealthThreshold));
        Assert.True(production.CircuitBreaker.Enabled);
        Assert.Equal((8, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(2), LoadBalancingStrategyKind.LatencyBased),
            (highLatency.Connections.Retry.MaxRetries, highLatency.Connections.Retry.InitialDelay, highLatency.Connections.Retry.MaxDelay, highLatency.Connections.LoadBalancingStrategy));
        Assert.True(development.Health.HealthCheckInterval < highLatency.Health.HealthCheckInterval);
        Assert.True(highLatency.Health.HealthCheckInterval < production.Health.HealthCheckInterval);
    }

    private static Libp2pHostOptions Create(string name) => name switch
    {
        "Development" => ConnectionProfiles.Development(),
        "Production" => ConnectionProfiles.Production(),
        "HighLatency" => ConnectionProfiles.HighLatency(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
