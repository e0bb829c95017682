using System.Threading.Channels;

namespace Resilink.Core.Tests.Resilience.Reconnection;

/// <summary>A connect delegate whose n-th call does what the test says; the test can wait for the n-th call.</summary>
internal sealed class ScriptedDialer
{
    private readonly Channel<int> _calls = Channel.CreateUnbounded<int>();
    private readonly Func<int, CancellationToken, Task<string>> _body;
    private int _count;

    public ScriptedDialer(Func<int, CancellationToken, Task<string>> body) => _body = body;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Fails with a transient error on every call before <paramref name="succeedAt"/>, then returns "conn-n".</summary>
    public static ScriptedDialer SucceedingAt(int succeedAt) => new((call, _) =>
        call < succeedAt ? Task.FromException<string>(Refused()) : Task.FromResult($"conn-{call}"));

    /// <summary>Fails with a transient error on every call.</summary>
    public static ScriptedDialer AlwaysRefused() => SucceedingAt(int.MaxValue);

    public static IOException Refused() => new("Connection refused");

    public Task<string> ConnectAsync(CancellationToken cancellationToken)
    {
        int call = Interlocked.Increment(ref _count);
        _calls.Writer.TryWrite(call);
        return _body(call, cancellationToken);
    }

    public async Task ExpectCallAsync(int call)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await _calls.Reader.ReadAsync(timeout.Token) < call)
        {
        }
    }
}

/// <summary>An I/O error that retrying cannot fix.</summary>
internal sealed class PermanentDialError(string message) : IOException(message), Resilink.Resilience.IPermanentConnectionError;
