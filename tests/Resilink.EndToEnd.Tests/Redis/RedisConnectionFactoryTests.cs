using Resilink.Redis;
using StackExchange.Redis;

namespace Resilink.EndToEnd.Tests.Redis;

/// <summary><see cref="RedisConnectionFactory"/> against a real redis-server: create, PING, close, and a killed server.</summary>
public sealed class RedisConnectionFactoryTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private RedisServer _server = null!;

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync(_timeout.Token);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _timeout.Dispose();
    }

    [Fact]
    public async Task CreateAsync_RunningServer_ConnectionAnswersPingAndCommands()
    {
        var factory = new RedisConnectionFactory(_server.Configuration);

        var connection = await factory.CreateAsync(_timeout.Token);
        var rtt = await factory.CheckHealthAsync(connection, _timeout.Token);
        await connection.GetDatabase().StringSetAsync("k", "v");
        var value = await connection.GetDatabase().StringGetAsync("k");
        await factory.CloseAsync(connection);

        Assert.Equal($"redis://127.0.0.1:{_server.Port}", factory.Endpoint);
        Assert.True(rtt > TimeSpan.Zero);
        Assert.Equal("v", value.ToString());
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public async Task CheckHealthAsync_ServerKilled_ThrowsIOExceptionNamingTheEndpoint()
    {
        var factory = new RedisConnectionFactory(_server.Configuration);
        var connection = await factory.CreateAsync(_timeout.Token);

        await _server.KillAsync();
        var error = await Assert.ThrowsAsync<IOException>(async () => await factory.CheckHealthAsync(connection, _timeout.Token));
        await factory.CloseAsync(connection);

        Assert.Contains(factory.Endpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_ServerDown_FailsWithIOExceptionInsteadOfRetryingInTheBackground()
    {
        await _server.KillAsync();
        var options = ConfigurationOptions.Parse(_server.Configuration);
        options.ConnectTimeout = 2000;
        var factory = new RedisConnectionFactory(options);

        var error = await Assert.ThrowsAsync<IOException>(async () => await factory.CreateAsync(_timeout.Token));

        Assert.Contains(factory.Endpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartAsync_AfterKill_ServesOnTheSamePort()
    {
        await _server.KillAsync();
        await _server.RestartAsync(_timeout.Token);
        var factory = new RedisConnectionFactory(_server.Configuration);

        var connection = await factory.CreateAsync(_timeout.Token);
        await factory.CheckHealthAsync(connection, _timeout.Token);
        await factory.CloseAsync(connection);

        Assert.True(_server.IsRunning);
    }
}
