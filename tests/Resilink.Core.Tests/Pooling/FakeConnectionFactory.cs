using System.Collections.Concurrent;
using Resilink.Pooling;

namespace Resilink.Core.Tests.Pooling;

/// <summary>A connection made by <see cref="FakeConnectionFactory"/>; counts its closes.</summary>
internal sealed class FakePoolConnection(string endpoint, int number)
{
    private int _closes;

    public string Endpoint { get; } = endpoint;

    public int Number { get; } = number;

    /// <summary>Its health check throws while this is set.</summary>
    public bool Broken { get; set; }

    public int Closes => Volatile.Read(ref _closes);

    public void Close() => Interlocked.Increment(ref _closes);

    public override string ToString() => $"{Endpoint}/{Number}";
}

/// <summary>
/// An in-memory <see cref="IConnectionFactory{T}"/> whose misbehaviour each test chooses: creates that throw, hang (ignoring
/// their token), or return broken connections; health checks that throw or take a given latency.
/// </summary>
internal sealed class FakeConnectionFactory(string endpoint) : IConnectionFactory<FakePoolConnection>
{
    private readonly ConcurrentQueue<FakePoolConnection> _created = new();
    private readonly TaskCompletionSource _releaseHung = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _creates;

    public string Endpoint { get; } = endpoint;

    /// <summary>For the n-th create (1-based), the exception to throw, or null to succeed. Default: always succeed.</summary>
    public Func<int, Exception?> CreateFailure { get; set; } = _ => null;

    /// <summary>Creates never complete, whatever their token says, until <see cref="ReleaseHungCreates"/>.</summary>
    public bool HangOnCreate { get; set; }

    /// <summary>New connections are broken (their health check throws).</summary>
    public bool CreateBroken { get; set; }

    /// <summary>Every health check throws this, when set.</summary>
    public Exception? HealthCheckError { get; set; }

    /// <summary>What each health check reports as its round trip.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(1);

    public int CreateCalls => Volatile.Read(ref _creates);

    public IReadOnlyList<FakePoolConnection> Created => [.. _created];

    public async ValueTask<FakePoolConnection> CreateAsync(CancellationToken cancellationToken)
    {
        int n = Interlocked.Increment(ref _creates);
        if (HangOnCreate)
        {
            await _releaseHung.Task; // ignores the token on purpose
        }
        if (CreateFailure(n) is { } error)
        {
            throw error;
        }
        var connection = new FakePoolConnection(Endpoint, n) { Broken = CreateBroken };
        _created.Enqueue(connection);
        return connection;
    }

    public ValueTask<TimeSpan> CheckHealthAsync(FakePoolConnection connection, CancellationToken cancellationToken)
    {
        if (HealthCheckError is { } error)
        {
            throw error;
        }
        if (connection.Broken)
        {
            return ValueTask.FromException<TimeSpan>(new IOException($"{connection} is broken"));
        }
        return ValueTask.FromResult(Latency);
    }

    public ValueTask CloseAsync(FakePoolConnection connection)
    {
        connection.Close();
        return ValueTask.CompletedTask;
    }

    public void ReleaseHungCreates() => _releaseHung.TrySetResult();

    public override string ToString() => Endpoint;
}
