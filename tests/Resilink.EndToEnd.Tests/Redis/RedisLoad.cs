using System.Collections.Concurrent;
using System.Globalization;
using Resilink.Pooling;
using Resilink.Tests.Shared;
using StackExchange.Redis;

namespace Resilink.EndToEnd.Tests.Redis;

/// <summary>
/// A steady SET/GET load through a pool: each worker, over and over, acquires a lease, SETs its own key to a new value,
/// GETs it back on the same lease and checks it. A failed operation is reported on the lease as broken, as a real
/// user would; every outcome is counted by the endpoint the lease was on.
/// </summary>
internal sealed class RedisLoad : IAsyncDisposable
{
    private readonly ConnectionPool<IConnectionMultiplexer> _pool;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _succeeded = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FailedOperation> _failed = new();
    private readonly ConcurrentQueue<Exception> _acquireErrors = new();
    private readonly Task[] _workers;

    private RedisLoad(ConnectionPool<IConnectionMultiplexer> pool, int workers)
    {
        _pool = pool;
        _workers = [.. Enumerable.Range(0, workers).Select(i => Task.Run(() => WorkAsync($"load:{i}")))];
    }

    /// <summary>Gets the operations that failed, in the order they failed.</summary>
    public IReadOnlyList<FailedOperation> Failed => [.. _failed];

    /// <summary>Gets the errors of <see cref="ConnectionPool{T}.AcquireAsync"/> itself (no lease at all).</summary>
    public IReadOnlyList<Exception> AcquireErrors => [.. _acquireErrors];

    public static RedisLoad Start(ConnectionPool<IConnectionMultiplexer> pool, int workers) => new(pool, workers);

    /// <summary>Operations that succeeded on <paramref name="endpoint"/> so far.</summary>
    public int SucceededOn(string endpoint) => _succeeded.TryGetValue(endpoint, out var n) ? n : 0;

    /// <summary>Waits until at least <paramref name="count"/> operations have succeeded on <paramref name="endpoint"/>.</summary>
    public Task WaitForSuccessesAsync(string endpoint, int count, CancellationToken cancellationToken) =>
        Poll.UntilAsync(
            () => SucceededOn(endpoint) >= count || _workers.Any(w => w.IsFaulted),
            TimeSpan.FromMilliseconds(10),
            () => $"{count} successes on {endpoint}; {Describe()}",
            cancellationToken);

    /// <summary>Stops the workers and waits for them; rethrows what broke a worker (an unexpected exception).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"succeeded: {string.Join(", ", _succeeded.Select(p => $"{p.Key}={p.Value}"))}; failed: {_failed.Count} " +
        $"[{string.Join("; ", _failed.Take(20).Select(f => $"{f.ConnectionId}: {f.Error.GetType().Name}: {Shorten(f.Error.Message)}"))}]; " +
        $"acquire errors: {_acquireErrors.Count} [{string.Join("; ", _acquireErrors.Take(5).Select(e => e.Message))}]");

    private static string Shorten(string message) => message.Length <= 100 ? message : message[..100] + "…";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers).ContinueWith(static _ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task WorkAsync(string key)
    {
        var token = _stop.Token;
        long version = 0;
        while (!token.IsCancellationRequested)
        {
            ConnectionLease<IConnectionMultiplexer> lease;
            try
            {
                lease = await _pool.AcquireAsync(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is TimeoutException or Resilience.EndpointUnavailableException)
            {
                _acquireErrors.Enqueue(ex);
                continue;
            }

            await using (lease)
            {
                string endpoint = lease.Endpoint;
                string value = (++version).ToString(CultureInfo.InvariantCulture);
                try
                {
                    var database = lease.Connection.GetDatabase();
                    await database.StringSetAsync(key, value);
                    var read = await database.StringGetAsync(key);
                    if (read != value)
                    {
                        throw new InvalidDataException($"GET {key} on {lease.ConnectionId} returned '{read}', not the '{value}' just SET.");
                    }
                    _succeeded.AddOrUpdate(endpoint, 1, static (_, n) => n + 1);
                }
                catch (RedisException ex)
                {
                    lease.ReportFailure(ex, connectionBroken: true);
                    _failed.Enqueue(new FailedOperation(endpoint, lease.ConnectionId, ex));
                }
            }
        }
    }

    /// <summary>One failed operation: where its lease was, and why.</summary>
    internal sealed record FailedOperation(string Endpoint, string ConnectionId, Exception Error);
}
