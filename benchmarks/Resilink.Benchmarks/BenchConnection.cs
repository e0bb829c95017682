using Resilink.Health;

namespace Resilink.Benchmarks;

/// <summary>A minimal <see cref="IHealthTracked"/> for the selection benchmarks.</summary>
public sealed class BenchConnection(string id) : IHealthTracked
{
    public string Id { get; } = id;

    public DateTimeOffset OpenedAt { get; } = DateTimeOffset.UtcNow;

    public int ActiveStreams { get; set; }

    public ConnectionLoadStats Stats { get; } = new(TimeProvider.System);
}
