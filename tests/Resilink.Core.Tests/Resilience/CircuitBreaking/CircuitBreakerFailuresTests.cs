using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.Timeout;
using CircuitState = Resilink.Monitoring.CircuitState;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience.CircuitBreaking;

public sealed class CircuitBreakerFailuresTests
{
    private sealed class PermanentError() : IOException("wrong peer"), IPermanentConnectionError;

    public static TheoryData<Exception, bool> Cases => new()
    {
        { new IOException("reset"), true },
        { new SocketException((int)SocketError.ConnectionRefused), true },
        { new TimeoutException(), true },
        { new TimeoutRejectedException(), true },
        { new RetryExhaustedException([new RetryAttempt(1, TimeSpan.Zero, new IOException("refused"))]), true },
        { new PermanentError(), false },
        { new CircuitOpenException("peer", CircuitState.Open, null), false },
        { new OperationCanceledException(), false },
        { new BrokenCircuitException(), false },
        { new ArgumentException("bad"), false },
        { new InvalidOperationException(), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsFailure_ByExceptionType_CountsOnlyUnreachablePeers(Exception exception, bool expected)
    {
        Assert.Equal(expected, CircuitBreakerFailures.IsFailure(exception, CancellationToken.None));
    }

    [Fact]
    public void IsFailure_CallerCancelled_NeverCounts()
    {
        Assert.False(CircuitBreakerFailures.IsFailure(new IOException("reset"), new CancellationToken(canceled: true)));
    }

    [Fact]
    public void IsTransient_CircuitOpenException_IsNotRetried()
    {
        Assert.False(TransientConnectionErrors.IsTransient(new CircuitOpenException("peer", CircuitState.Open, null), CancellationToken.None));
    }
}
