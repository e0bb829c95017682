using System.Net.Sockets;
using System.Threading.Channels;
using Polly;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience;

public sealed class RetryPipelineTests
{
    private static readonly TimeSpan WaitForCall = TimeSpan.FromSeconds(10);
    private static readonly Func<double> NoJitter = () => 0.5;

    private readonly TimerCountingTimeProvider _time = new();

    /// <summary>Counts calls and lets the test wait for the n-th one, which runs when a fake timer fires.</summary>
    private sealed class Operation
    {
        private readonly Channel<int> _calls = Channel.CreateUnbounded<int>();
        private readonly Func<int, CancellationToken, int> _body;
        private int _count;

        public Operation(Func<int, CancellationToken, int> body) => _body = body;

        public int Count => Volatile.Read(ref _count);

        public ValueTask<int> InvokeAsync(CancellationToken cancellationToken)
        {
            int call = Interlocked.Increment(ref _count);
            _calls.Writer.TryWrite(call);
            return ValueTask.FromResult(_body(call, cancellationToken));
        }

        public async Task ExpectCallAsync(int call)
        {
            using var timeout = new CancellationTokenSource(WaitForCall);
            while (await _calls.Reader.ReadAsync(timeout.Token) < call)
            {
            }
        }
    }

    private ResiliencePipeline Create(RetryOptions? options = null) =>
        RetryPipelineFactory.Create(options ?? new RetryOptions(), _time, NoJitter);

    private static IOException Refused() => new("Connection refused");

    [Fact]
    public async Task ExecuteAsync_AlwaysFailing_RetriesMaxRetriesTimesAfterEachDelay()
    {
        var operation = new Operation((_, _) => throw Refused());
        var run = Create().ExecuteAsync(operation.InvokeAsync, CancellationToken.None).AsTask();
        await operation.ExpectCallAsync(1);

        foreach (var (call, delayMs) in new[] { (2, 100), (3, 200), (4, 400) })
        {
            await _time.WaitForTimersAsync(call - 1);
            _time.Advance(TimeSpan.FromMilliseconds(delayMs - 1));
            Assert.Equal(call - 1, operation.Count);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            await operation.ExpectCallAsync(call);
        }

        var error = await Assert.ThrowsAsync<RetryExhaustedException>(() => run);
        Assert.Equal(4, operation.Count);
        Assert.Equal([0, 100, 200, 400], error.Attempts.Select(a => a.DelayBefore.TotalMilliseconds));
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(4, operation.Count);
    }

    [Fact]
    public async Task ExecuteAsync_FirstTwoAttemptsThrow_SucceedsOnThird()
    {
        var operation = new Operation((call, _) => call switch
        {
            1 => throw new SocketException((int)SocketError.ConnectionRefused),
            2 => throw new TimeoutException("dial timed out"),
            _ => 42,
        });
        var run = Create().ExecuteAsync(operation.InvokeAsync, CancellationToken.None).AsTask();

        await _time.WaitForTimersAsync(1);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await operation.ExpectCallAsync(2);
        await _time.WaitForTimersAsync(2);
        _time.Advance(TimeSpan.FromMilliseconds(200));

        Assert.Equal(42, await run);
        Assert.Equal(3, operation.Count);
    }

    [Fact]
    public async Task ExecuteAsync_AllAttemptsFail_ThrowsRetryExhaustedListingEveryAttempt()
    {
        var thrown = new Exception[]
        {
            Refused(), new SocketException((int)SocketError.HostUnreachable), new TimeoutException("dial timed out"), Refused(),
        };
        var operation = new Operation((call, _) => throw thrown[call - 1]);
        var run = Create().ExecuteAsync(operation.InvokeAsync, CancellationToken.None).AsTask();

        for (int call = 2; call <= 4; call++)
        {
            await _time.WaitForTimersAsync(call - 1);
            _time.Advance(TimeSpan.FromSeconds(1));
            await operation.ExpectCallAsync(call);
        }

        var error = await Assert.ThrowsAsync<RetryExhaustedException>(() => run);
        Assert.IsAssignableFrom<IOException>(error);
        Assert.Equal([1, 2, 3, 4], error.Attempts.Select(a => a.Number));
        Assert.Equal([0, 100, 200, 400], error.Attempts.Select(a => a.DelayBefore.TotalMilliseconds));
        Assert.Equal(thrown, error.Attempts.Select(a => a.Exception));
        Assert.Same(thrown[3], error.InnerException);
        Assert.StartsWith("Gave up after 4 attempts: #1 Connection refused; #2 (after 100 ms) ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("#3 (after 200 ms) dial timed out; #4 (after 400 ms) Connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsDuringDelay_StopsAtOnceWithCancellation()
    {
        using var cts = new CancellationTokenSource();
        var operation = new Operation((_, _) => throw Refused());
        var run = Create().ExecuteAsync(operation.InvokeAsync, cts.Token).AsTask();
        await _time.WaitForTimersAsync(1);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, operation.Count);
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsDuringAttempt_NotRetried()
    {
        using var cts = new CancellationTokenSource();
        var operation = new Operation((_, token) =>
        {
            cts.Cancel();
            token.ThrowIfCancellationRequested();
            return 0;
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Create().ExecuteAsync(operation.InvokeAsync, cts.Token).AsTask());
        Assert.Equal(1, operation.Count);
    }

    [Fact]
    public async Task ExecuteAsync_OperationCanceledWithoutCallerCancel_NotRetried()
    {
        var operation = new Operation((_, _) => throw new OperationCanceledException());

        await Assert.ThrowsAsync<OperationCanceledException>(
            () => Create().ExecuteAsync(operation.InvokeAsync, CancellationToken.None).AsTask());
        Assert.Equal(1, operation.Count);
    }

    [Fact]
    public async Task ExecuteAsync_NonTransientError_ThrownAsIsWithoutRetry()
    {
        var operation = new Operation((_, _) => throw new InvalidOperationException("bad address"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Create().ExecuteAsync(operation.InvokeAsync, CancellationToken.None).AsTask());
        Assert.Equal("bad address", error.Message);
        Assert.Equal(1, operation.Count);
    }

    [Fact]
    public async Task ExecuteAsync_PermanentIOException_ThrownAsIsWithoutRetry()
    {
        var operation = new Operation((_, _) => throw new WrongIdentityException());

        await Assert.ThrowsAsync<WrongIdentityException>(
            () => Create().ExecuteAsync(operation.InvokeAsync, CancellationToken.None).AsTask());
        Assert.Equal(1, operation.Count);
    }

    /// <summary>An IOException (normally retried) that says retrying cannot help.</summary>
    private sealed class WrongIdentityException() : IOException("the peer proved another identity"), IPermanentConnectionError;

    [Fact]
    public async Task ExecuteAsync_ZeroRetries_OneAttemptReportedAsExhausted()
    {
        var operation = new Operation((_, _) => throw Refused());

        var error = await Assert.ThrowsAsync<RetryExhaustedException>(
            () => Create(new RetryOptions { MaxRetries = 0 }).ExecuteAsync(operation.InvokeAsync, CancellationToken.None).AsTask());
        Assert.Equal("Gave up after 1 attempt: #1 Connection refused", error.Message);
        Assert.Equal(1, operation.Count);
    }

    [Fact]
    public async Task ExecuteAsync_PipelineReused_EachExecutionHasItsOwnAttempts()
    {
        var pipeline = Create(new RetryOptions { MaxRetries = 1, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero });

        for (int i = 0; i < 2; i++)
        {
            var operation = new Operation((_, _) => throw Refused());
            var error = await Assert.ThrowsAsync<RetryExhaustedException>(
                () => pipeline.ExecuteAsync(operation.InvokeAsync, CancellationToken.None).AsTask());
            Assert.Equal([1, 2], error.Attempts.Select(a => a.Number));
        }
    }

    [Fact]
    public async Task AddResilinkRetry_OnBuilder_UsesBuilderTimeProvider()
    {
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddResilinkRetry(new RetryOptions { Backoff = BackoffKind.Fixed, InitialDelay = TimeSpan.FromSeconds(5) }, NoJitter)
            .Build();
        var operation = new Operation((call, _) => call == 1 ? throw Refused() : 7);
        var run = pipeline.ExecuteAsync(operation.InvokeAsync, CancellationToken.None).AsTask();

        await _time.WaitForTimersAsync(1);
        _time.Advance(TimeSpan.FromSeconds(4.999));
        Assert.Equal(1, operation.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(7, await run);
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsBeforeBuilding()
    {
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => Create(new RetryOptions { MaxRetries = -1 }));
    }
}
