using Resilink.Health;

namespace Resilink.Core.Tests;

/// <summary>A hand-made <see cref="IHealthTracked"/> for strategy tests.</summary>
internal sealed class FakeConnection(string id, TimeProvider timeProvider, string peerKey = "peer") : IHealthTracked
{
    public string Id { get; } = id;

    public string PeerKey { get; } = peerKey;

    public long BytesReceived { get; set; }

    public long BytesSent { get; set; }

    /// <summary>What <see cref="PingAsync"/> does; answers at once with 1 ms by default.</summary>
    public Func<CancellationToken, Task<TimeSpan>> Ping { get; set; } = _ => Task.FromResult(TimeSpan.FromMilliseconds(1));

    public Task<TimeSpan> PingAsync(CancellationToken cancellationToken) => Ping(cancellationToken);

    public DateTimeOffset OpenedAt { get; } = timeProvider.GetUtcNow();

    public int ActiveStreams { get; set; }

    public ConnectionLoadStats Stats { get; } = new(timeProvider);

    public override string ToString() => Id;

    public static FakeConnection[] Many(TimeProvider timeProvider, int count)
    {
        var result = new FakeConnection[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = new FakeConnection(((char)('a' + i)).ToString(), timeProvider);
        }

        return result;
    }
}
