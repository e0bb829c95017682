using System.Collections.Concurrent;
using Resilink.Net.Host;
using Resilink.Net.Identity;
using Resilink.Net.Protocols.Echo;

namespace Resilink.Net.Tests.Health;

/// <summary>
/// A request/response load on one peer: workers send small echo requests back to back. An attempt that fails or
/// gets no answer within <see cref="AttemptTimeout"/> is retried once on a new stream (what any client does); the
/// failed attempt is booked against the connection it ran on.
/// </summary>
internal sealed class EchoLoad : IAsyncDisposable
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private int _requests;

    private EchoLoad()
    {
    }

    /// <summary>Failed attempts per connection id.</summary>
    public ConcurrentDictionary<string, int> FailedAttempts { get; } = new();

    /// <summary>Requests that failed even after their retry.</summary>
    public ConcurrentQueue<Exception> Failures { get; } = new();

    public int Requests => Volatile.Read(ref _requests);

    public static EchoLoad Start(Libp2pHost host, PeerId peer, int workers)
    {
        var load = new EchoLoad();
        for (int i = 0; i < workers; i++)
        {
            load._workers.Add(Task.Run(() => load.WorkAsync(host, peer)));
        }

        return load;
    }

    /// <summary>Stops the workers after their current request and returns once they are done.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task WorkAsync(Libp2pHost host, PeerId peer)
    {
        var payload = new byte[32];
        while (!_stop.IsCancellationRequested)
        {
            if (await TryAttemptAsync(host, peer, payload) is not null
                && await TryAttemptAsync(host, peer, payload) is { } error)
            {
                Failures.Enqueue(error);
                continue;
            }

            Interlocked.Increment(ref _requests);
        }
    }

    /// <summary>One attempt; returns null on success (or when stopping), else the error.</summary>
    private async Task<Exception?> TryAttemptAsync(Libp2pHost host, PeerId peer, byte[] payload)
    {
        string connectionId = "(none)";
        using var timeout = new CancellationTokenSource(AttemptTimeout);
        try
        {
            await using var stream = await host.NewStreamAsync(peer, EchoProtocol.ProtocolId, timeout.Token);
            connectionId = stream.Connection.Id;
            await stream.WriteAsync(payload, timeout.Token);
            await stream.CloseWriteAsync(timeout.Token);
            await stream.ReadExactlyAsync(new byte[payload.Length], timeout.Token);
            return null;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            if (_stop.IsCancellationRequested)
            {
                return null; // stopping, not failing
            }

            FailedAttempts.AddOrUpdate(connectionId, 1, (_, n) => n + 1);
            return ex;
        }
    }
}
