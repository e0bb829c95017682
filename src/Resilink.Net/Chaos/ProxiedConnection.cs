using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Resilink.Net.Chaos;

/// <summary>
/// One client connection accepted by a <see cref="FaultInjectingProxy"/> and its outbound connection to the target.
/// Two pumps (client to target, target to client) each read into a timestamped queue and write from it, applying
/// the connection's <see cref="Faults"/>. Changes to <see cref="Faults"/> take effect immediately, including for
/// data already queued.
/// </summary>
[SuppressMessage(
    "Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "The proxy owns the connection's lifetime: RunAsync disposes the sources when the pumps have ended.")]
public sealed class ProxiedConnection
{
    /// <summary>Largest chunk one socket read produces; faults apply per chunk.</summary>
    internal const int ChunkSize = 16 * 1024;

    /// <summary>Chunks queued per direction before the proxy stops reading (so at most 1 MiB is held per direction).</summary>
    internal const int QueueCapacity = 64;

    private static readonly TimeSpan ClockMoveTolerance = TimeSpan.FromMilliseconds(1);

    private readonly Socket _client;
    private readonly Socket _target;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _cts = new();
    private readonly long _openedTimestamp;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly ITimer _resetTimer;
    private readonly Action<ProxiedConnection> _onClosed;
    private FaultProfile _faults;
    private CancellationTokenSource _changed = new();
    private int _state; // 0 open, 1 closed (gracefully or by reset)
    private long _bytesFromClient;
    private long _bytesToTarget;
    private long _bytesFromTarget;
    private long _bytesToClient;
    private long _bytesDropped;
    private long _forwardedTotal;

    internal ProxiedConnection(
        long id,
        Socket client,
        EndPoint target,
        FaultProfile faults,
        TimeProvider time,
        Func<double> random,
        ILogger logger,
        Action<ProxiedConnection> onClosed)
    {
        _onClosed = onClosed;
        Id = id;
        _client = client;
        _client.NoDelay = true;
        ClientEndPoint = client.RemoteEndPoint;
        TargetEndPoint = target;
        _target = target is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        _target.NoDelay = true;
        _faults = faults with { };
        _time = time;
        _random = random;
        _logger = logger;
        _openedTimestamp = time.GetTimestamp();
        _resetTimer = time.CreateTimer(
            static state => ((ProxiedConnection)state!).Reset("ResetAfter elapsed"),
            this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Sequence number of this connection within its proxy, starting at 1.</summary>
    public long Id { get; }

    /// <summary>The remote endpoint of the accepted client socket.</summary>
    public EndPoint? ClientEndPoint { get; }

    /// <summary>The endpoint the proxy dials for this connection.</summary>
    public EndPoint TargetEndPoint { get; }

    /// <summary>
    /// The proxy's local endpoint of the outbound connection (what the target sees as its peer), or
    /// <see langword="null"/> until the dial has completed.
    /// </summary>
    public EndPoint? OutboundEndPoint { get; private set; }

    /// <summary>Bytes read from the client (including any later dropped or still queued).</summary>
    public long BytesFromClient => Interlocked.Read(ref _bytesFromClient);

    /// <summary>Bytes written to the target (forwarded client to target).</summary>
    public long BytesToTarget => Interlocked.Read(ref _bytesToTarget);

    /// <summary>Bytes read from the target (including any later dropped or still queued).</summary>
    public long BytesFromTarget => Interlocked.Read(ref _bytesFromTarget);

    /// <summary>Bytes written to the client (forwarded target to client).</summary>
    public long BytesToClient => Interlocked.Read(ref _bytesToClient);

    /// <summary>Bytes discarded by <see cref="FaultProfile.DropRate"/>, both directions.</summary>
    public long BytesDropped => Interlocked.Read(ref _bytesDropped);

    /// <summary>
    /// Completes once both sockets are closed, whether gracefully, by a reset or by a failure, and the connection
    /// has left <see cref="FaultInjectingProxy.Connections"/>. Never faults.
    /// </summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// The faults applied to this connection. Getting returns a copy; setting stores a copy and takes effect at
    /// once: waiting data is re-evaluated against the new latency, bandwidth and black-hole settings, and the
    /// <see cref="FaultProfile.ResetAfter"/> deadline is rescheduled (still measured from accept).
    /// </summary>
    public FaultProfile Faults
    {
        get
        {
            lock (_gate)
            {
                return _faults with { };
            }
        }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Update(_ => value);
        }
    }

    /// <summary>Closes both sides at once with RST (linger 0). Does nothing if the connection is already closed.</summary>
    public void Reset() => Reset("Reset requested");

    internal void Update(Func<FaultProfile, FaultProfile> change)
    {
        FaultProfile next;
        CancellationTokenSource previous;
        lock (_gate)
        {
            next = change(_faults) with { };
            _faults = next;
            previous = _changed;
            _changed = new CancellationTokenSource();
        }
        ChaosLog.FaultsChanged(_logger, Id, next);
        // Wake every pump waiting on the old settings; they re-read the profile. Not disposed: pumps may still be
        // linking to its token, and a cancelled source without timers holds nothing worth releasing early.
        CancelQuietly(previous);
        ScheduleResetTimer(next);
    }

    internal void Reset(string reason)
    {
        if (Interlocked.Exchange(ref _state, 1) != 0)
        {
            return;
        }
        ChaosLog.ConnectionReset(_logger, Id, reason);
        CancelQuietly(_cts);
        Abort(_client);
        Abort(_target);
    }

    internal async Task RunAsync()
    {
        try
        {
            ScheduleResetTimer(Faults);
            try
            {
                await _target.ConnectAsync(TargetEndPoint, _cts.Token).ConfigureAwait(false);
                OutboundEndPoint = _target.LocalEndPoint;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                if (!_cts.IsCancellationRequested)
                {
                    ChaosLog.DialFailed(_logger, Id, TargetEndPoint, ex);
                }
                Reset("Dialing the target failed");
                return;
            }
            ChaosLog.ConnectionOpened(_logger, Id, ClientEndPoint, TargetEndPoint);

            var toTarget = new Direction(_client, _target, clientToTarget: true);
            var toClient = new Direction(_target, _client, clientToTarget: false);
            await Task.WhenAll(
                ReadLoopAsync(toTarget), WriteLoopAsync(toTarget),
                ReadLoopAsync(toClient), WriteLoopAsync(toClient)).ConfigureAwait(false);

            // Both directions delivered their FIN: close normally.
            if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
            {
                CancelQuietly(_cts);
                _client.Dispose();
                _target.Dispose();
            }
        }
        catch (Exception ex)
        {
            // Nothing awaits this task, so nothing may escape it: anything unforeseen ends the connection.
            ChaosLog.PumpFailed(_logger, Id, "connection", ex);
            Reset($"Unexpected failure: {ex.Message}");
        }
        finally
        {
            await _resetTimer.DisposeAsync().ConfigureAwait(false);
            // Every pump has ended and the state is closed, so nothing links to or cancels these any more.
            _cts.Dispose();
            lock (_gate)
            {
                _changed.Dispose();
            }
            ChaosLog.ConnectionClosed(_logger, Id, BytesToTarget, BytesToClient, BytesDropped);
            _onClosed(this);
            _closed.TrySetResult();
        }
    }

    private (FaultProfile Faults, CancellationToken Changed) Snapshot()
    {
        lock (_gate)
        {
            return (_faults, _changed.Token);
        }
    }

    private void ScheduleResetTimer(FaultProfile faults)
    {
        if (Volatile.Read(ref _state) != 0)
        {
            return;
        }
        try
        {
            if (faults.ResetAfter is not { } after)
            {
                _ = _resetTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                return;
            }
            var remaining = after - _time.GetElapsedTime(_openedTimestamp);
            if (remaining <= TimeSpan.Zero)
            {
                Reset("ResetAfter elapsed");
                return;
            }
            _ = _resetTimer.Change(remaining, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The connection closed meanwhile.
        }
    }

    private async Task ReadLoopAsync(Direction d)
    {
        var token = _cts.Token;
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                int n;
                try
                {
                    n = await d.Source.ReceiveAsync(buffer.AsMemory(0, ChunkSize), SocketFlags.None, token).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }
                // Timestamp before the counters move, so an observer that sees the count also sees the chunk's clock.
                var timestamp = _time.GetTimestamp();
                if (n == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    await d.Queue.Writer.WriteAsync(new Chunk(null, 0, timestamp, 0), token).ConfigureAwait(false);
                    return;
                }
                var (faults, _) = Snapshot();
                var drop = faults.DropRate > 0 && _random() < faults.DropRate;
                var jitter = !drop && faults.Jitter > TimeSpan.Zero ? (_random() * 2) - 1 : 0;
                if (drop)
                {
                    Interlocked.Add(ref _bytesDropped, n);
                }
                Interlocked.Add(ref d.ClientToTarget ? ref _bytesFromClient : ref _bytesFromTarget, n);
                if (drop)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    continue;
                }
                await d.Queue.Writer.WriteAsync(new Chunk(buffer, n, timestamp, jitter), token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Fail(ex, d.ClientToTarget ? "client read" : "target read");
        }
    }

    private async Task WriteLoopAsync(Direction d)
    {
        var token = _cts.Token;
        try
        {
            while (true)
            {
                var chunk = await d.Queue.Reader.ReadAsync(token).ConfigureAwait(false);
                var offset = 0;
                while (true)
                {
                    var (faults, changed) = Snapshot();
                    if (faults.BlackHole)
                    {
                        await WaitForChangeAsync(changed).ConfigureAwait(false);
                        continue;
                    }
                    var now = _time.GetTimestamp();
                    var due = DueIn(chunk, faults, now);
                    if (due > TimeSpan.Zero)
                    {
                        await WaitAsync(due, now, changed).ConfigureAwait(false);
                        continue;
                    }
                    if (chunk.Buffer is null)
                    {
                        // Half-close: the source sent FIN, so send FIN onwards and keep the other direction running.
                        d.Destination.Shutdown(SocketShutdown.Send);
                        return;
                    }
                    var allowed = chunk.Length - offset;
                    if (faults.BandwidthBytesPerSecond is { } rate)
                    {
                        var (granted, wait) = d.Bucket.Take(rate, faults.EffectiveBurst(rate), allowed, now, _time);
                        if (granted == 0)
                        {
                            await WaitAsync(wait, now, changed).ConfigureAwait(false);
                            continue;
                        }
                        allowed = granted;
                    }
                    else
                    {
                        d.Bucket.Clear();
                    }
                    var total = Interlocked.Add(ref _forwardedTotal, allowed);
                    var limit = faults.ResetAfterBytes;
                    if (limit is { } l && total > l)
                    {
                        allowed -= (int)Math.Min(allowed, total - l);
                    }
                    if (allowed > 0)
                    {
                        await SendAllAsync(d.Destination, chunk.Buffer.AsMemory(offset, allowed), token).ConfigureAwait(false);
                        offset += allowed;
                        Interlocked.Add(ref d.ClientToTarget ? ref _bytesToTarget : ref _bytesToClient, allowed);
                    }
                    if (limit is { } reached && total >= reached)
                    {
                        Reset($"ResetAfterBytes ({reached}) reached");
                        return;
                    }
                    if (offset == chunk.Length)
                    {
                        ArrayPool<byte>.Shared.Return(chunk.Buffer);
                        break;
                    }
                }
            }
        }
        catch (Exception ex)
        {
            Fail(ex, d.ClientToTarget ? "target write" : "client write");
        }
    }

    private TimeSpan DueIn(Chunk chunk, FaultProfile faults, long now)
    {
        if (faults.Latency == TimeSpan.Zero && faults.Jitter == TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }
        var delay = faults.Latency + (faults.Jitter * chunk.JitterFraction);
        if (delay <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }
        return delay - _time.GetElapsedTime(chunk.Timestamp, now);
    }

    /// <summary>Waits until the faults change; throws only when the connection closes.</summary>
    private async Task WaitForChangeAsync(CancellationToken changed)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token, changed);
        await Task.Delay(Timeout.InfiniteTimeSpan, _time, linked.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _cts.Token.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Waits until <paramref name="delay"/> after the timestamp <paramref name="computedAt"/> at which it was
    /// computed, or until the faults change; throws only when the connection closes.
    /// </summary>
    /// <remarks>
    /// A timer is armed relative to the clock at the moment it is created. If the clock moves between computing the
    /// delay and arming the timer (a test advancing a fake clock concurrently), the timer would fire late by that
    /// much, so it is re-armed from the new time. Moves under a millisecond are ignored, as a real clock always moves.
    /// </remarks>
    private async Task WaitAsync(TimeSpan delay, long computedAt, CancellationToken changed)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token, changed);
        while (true)
        {
            var armedAt = _time.GetTimestamp();
            var remaining = delay - _time.GetElapsedTime(computedAt, armedAt);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
            var wait = Task.Delay(remaining, _time, timer.Token);
            var rearm = _time.GetElapsedTime(armedAt) >= ClockMoveTolerance;
            if (rearm)
            {
                await timer.CancelAsync().ConfigureAwait(false);
            }
            await wait.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _cts.Token.ThrowIfCancellationRequested();
            if (!rearm)
            {
                return;
            }
        }
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken token)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, token).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private void Fail(Exception ex, string pump)
    {
        if (Volatile.Read(ref _state) != 0)
        {
            return; // Expected: the connection was closed or reset, which ends every pump.
        }
        ChaosLog.PumpFailed(_logger, Id, pump, ex);
        Reset($"{pump} failed: {ex.Message}");
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection finished closing concurrently; nothing is left to wake.
        }
    }

    private static void Abort(Socket socket)
    {
        try
        {
            // Linger on with a zero timeout makes close send RST instead of FIN.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        socket.Dispose();
    }

    private readonly record struct Chunk(byte[]? Buffer, int Length, long Timestamp, double JitterFraction);

    private sealed class Direction(Socket source, Socket destination, bool clientToTarget)
    {
        public Socket Source { get; } = source;

        public Socket Destination { get; } = destination;

        public bool ClientToTarget { get; } = clientToTarget;

        public Channel<Chunk> Queue { get; } = Channel.CreateBounded<Chunk>(
            new BoundedChannelOptions(QueueCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

        public TokenBucket Bucket { get; } = new();
    }

    /// <summary>Token bucket in exact integer arithmetic (tokens scaled by ticks per second) so fake clocks give exact results.</summary>
    private sealed class TokenBucket
    {
        private long _rate;
        private int _burst;
        private Int128 _scaledTokens;
        private long _lastTimestamp;

        public void Clear() => _rate = 0;

        public (int Granted, TimeSpan Wait) Take(long rate, int burst, int wanted, long now, TimeProvider time)
        {
            Int128 capacity = (Int128)burst * TimeSpan.TicksPerSecond;
            if (rate != _rate || burst != _burst)
            {
                // New or changed shaping starts with a full bucket.
                _rate = rate;
                _burst = burst;
                _scaledTokens = capacity;
            }
            else
            {
                var elapsed = time.GetElapsedTime(_lastTimestamp, now).Ticks;
                _scaledTokens = Int128.Min(capacity, _scaledTokens + ((Int128)Math.Max(0, elapsed) * rate));
            }
            _lastTimestamp = now;
            var need = Math.Min(wanted, burst);
            Int128 needScaled = (Int128)need * TimeSpan.TicksPerSecond;
            if (_scaledTokens >= needScaled)
            {
                _scaledTokens -= needScaled;
                return (need, TimeSpan.Zero);
            }
            var ticks = (needScaled - _scaledTokens + rate - 1) / rate;
            return (0, TimeSpan.FromTicks((long)ticks));
        }
    }
}
