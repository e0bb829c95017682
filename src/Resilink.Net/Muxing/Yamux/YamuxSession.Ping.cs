using System.Collections.Concurrent;

namespace Resilink.Net.Muxing.Yamux;

/// <summary>Session pings: RTT measurement (used by window auto-tuning) and optional keep-alive.</summary>
public sealed partial class YamuxSession
{
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<long>> _pings = new();
    private int _pingCounter;
    private long _rttTicks;

    /// <summary>Most recent measured round-trip time, or <see cref="TimeSpan.Zero"/> if none yet.</summary>
    internal TimeSpan Rtt => TimeSpan.FromTicks(Volatile.Read(ref _rttTicks));

    /// <summary>Sends a session ping and returns the round-trip time measured with the session's <see cref="TimeProvider"/>.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">No answer within <see cref="YamuxOptions.PingTimeout"/>.</exception>
    /// <exception cref="YamuxException">The session is closed.</exception>
    public async ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        uint opaque = unchecked((uint)Interlocked.Increment(ref _pingCounter));
        var answer = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[opaque] = answer;
        try
        {
            long start = _time.GetTimestamp();
            if (!EnqueueControl(new YamuxFrameHeader(YamuxFrameType.Ping, YamuxFrameFlags.Syn, 0, opaque)))
            {
                throw CreateClosedException();
            }

            long end;
            try
            {
                end = await answer.Task.WaitAsync(_options.PingTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"Yamux ping was not answered within {_options.PingTimeout}.", ex);
            }

            TimeSpan rtt = _time.GetElapsedTime(start, end);
            Volatile.Write(ref _rttTicks, Math.Max(1, rtt.Ticks));
            return rtt;
        }
        finally
        {
            _pings.TryRemove(opaque, out _);
        }
    }

    private void HandlePing(YamuxFrameHeader frame)
    {
        if ((frame.Flags & YamuxFrameFlags.Syn) != 0)
        {
            EnqueueControl(new YamuxFrameHeader(YamuxFrameType.Ping, YamuxFrameFlags.Ack, 0, frame.Length));
        }
        else if ((frame.Flags & YamuxFrameFlags.Ack) != 0 && _pings.TryRemove(frame.Length, out TaskCompletionSource<long>? answer))
        {
            answer.TrySetResult(_time.GetTimestamp());
        }
    }

    private void FailPendingPings()
    {
        foreach (KeyValuePair<uint, TaskCompletionSource<long>> ping in _pings)
        {
            ping.Value.TrySetException(CreateClosedException());
        }
    }

    /// <summary>Measures the RTT once at start so window auto-tuning has a baseline. Never throws.</summary>
    private async Task ProbeRttAsync()
    {
        try
        {
            await PingAsync(_closeCts.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort; a missing RTT only disables window growth.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Pings every <paramref name="interval"/>; a ping that times out aborts the session. Never throws.</summary>
    private async Task KeepAliveLoopAsync(TimeSpan interval)
    {
        CancellationToken token = _closeCts.Token;
        try
        {
            while (!IsClosed)
            {
                await Task.Delay(interval, _time, token).ConfigureAwait(false);
                try
                {
                    await PingAsync(token).ConfigureAwait(false);
                }
                catch (TimeoutException ex)
                {
                    Log.KeepAliveFailed(_logger, ex);
                    Close(new YamuxException("Yamux keep-alive ping timed out.", ex));
                    return;
                }
            }
        }
#pragma warning disable CA1031 // Background loop: cancellation on close or a failed ping on a closing session.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!IsClosed)
            {
                Log.KeepAliveFailed(_logger, ex);
            }
        }
    }
}
