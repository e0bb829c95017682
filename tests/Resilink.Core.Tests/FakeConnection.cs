using Resilink.Health;

namespace Resilink.Core.Tests;

/// <summary>A hand-made <see cref="IHealthTracked"/> for strategy tests.</summary>
internal sealed class FakeConnection(string id, TimeProvider timeProvider) : IHealthTracked
{
    public string Id { get; } = id;

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
