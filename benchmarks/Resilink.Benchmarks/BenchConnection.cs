using Resilink.Health;

namespace Resilink.Benchmarks;

/// <summary>A minimal <see cref="IHealthTracked"/> for the selection benchmarks.</summary>
public sealed class BenchConnection(string id) : IHealthTracked
{
    public string Id { get; } = id;

    public string PeerKey => "bench";

    public long BytesReceived => 0;

    public long BytesSent => 0;

    public Task<TimeSpan> PingAsync(CancellationToken cancellationToken) => Task.FromResult(TimeSpan.FromMilliseconds(1));

    public DateTimeOffset OpenedAt { get; } = DateTimeOffset.UtcNow;

    public int ActiveStreams { get; set; }

    public ConnectionLoadStats Stats { get; } = new(TimeProvider.System);
}
