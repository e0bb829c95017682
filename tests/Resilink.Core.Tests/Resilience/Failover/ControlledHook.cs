using System.Threading.Channels;

namespace Resilink.Core.Tests.Resilience.Failover;

/// <summary>A switch hook whose every call waits until the test completes or fails it (or its token is cancelled).</summary>
internal sealed class ControlledHook
{
    private readonly Channel<Call> _calls = Channel.CreateUnbounded<Call>();

    public Task InvokeAsync(string endpoint, CancellationToken cancellationToken)
    {
        var call = new Call(endpoint, cancellationToken);
        _calls.Writer.TryWrite(call);
        return call.Completion.Task.WaitAsync(cancellationToken);
    }

    public async Task<Call> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _calls.Reader.ReadAsync(timeout.Token);
    }

    public bool HasPendingCall => _calls.Reader.Count > 0;

    internal sealed class Call(string endpoint, CancellationToken token)
    {
        public string Endpoint { get; } = endpoint;

        public CancellationToken Token { get; } = token;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
