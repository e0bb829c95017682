using System.Collections.Concurrent;
using Resilink.Pooling;
using Resilink.Redis;
using StackExchange.Redis;

namespace Resilink.EndToEnd.Tests.Redis;

/// <summary>
/// One endpoint (one server) whose connections alternate between a slow path (through a fault-injecting proxy) and a
/// direct one: a pool's entries all come from one factory, so this is how one pool gets a slow and a fast connection
/// to the same server. Remembers which multiplexers went through the proxy.
/// </summary>
internal sealed class SlowAndFastRedisFactory(string direct, string throughProxy) : IConnectionFactory<IConnectionMultiplexer>
{
    private readonly RedisConnectionFactory _direct = new(RedisClientOptions.For(direct));
    private readonly RedisConnectionFactory _slow = new(RedisClientOptions.For(throughProxy));
    private readonly ConcurrentDictionary<IConnectionMultiplexer, bool> _isSlow = new();
    private int _created;

    public string Endpoint => _direct.Endpoint;

    /// <summary>Whether <paramref name="connection"/> goes through the proxy.</summary>
    public bool IsSlow(IConnectionMultiplexer connection) => _isSlow.TryGetValue(connection, out var slow) && slow;

    public async ValueTask<IConnectionMultiplexer> CreateAsync(CancellationToken cancellationToken)
    {
        bool slow = Interlocked.Increment(ref _created) % 2 == 1; // the first through the proxy, the second direct, …
        var connection = await (slow ? _slow : _direct).CreateAsync(cancellationToken);
        _isSlow[connection] = slow;
        return connection;
    }

    public ValueTask<TimeSpan> CheckHealthAsync(IConnectionMultiplexer connection, CancellationToken cancellationToken) =>
        _direct.CheckHealthAsync(connection, cancellationToken);

    public ValueTask CloseAsync(IConnectionMultiplexer connection) => _direct.CloseAsync(connection);
}
