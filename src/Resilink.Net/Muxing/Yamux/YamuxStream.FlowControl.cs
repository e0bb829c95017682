namespace Resilink.Net.Muxing.Yamux;

/// <summary>Per-stream flow control: the send window we may use and the receive window we grant (with auto-tuning).</summary>
public sealed partial class YamuxStream
{
    /// <summary>
    /// Grow the receive window when a window update is due sooner than this many RTTs after the previous one
    /// (the reader outpaces what the window lets the sender keep in flight). go-yamux and js-libp2p-yamux use 4.
    /// </summary>
    private const int WindowGrowthRttMultiplier = 2;

    private readonly object _sendLock = new();
    private long _sendWindow;
    private TaskCompletionSource? _sendWaiter;

    private readonly object _recvLock = new();
    private long _recvWindow;
    private long _recvCredit;
    private long _consumedSinceUpdate;
    private long _epochStart;
    private bool _windowGrowthReleased;

    /// <summary>Current receive window size granted to the remote (grows by auto-tuning).</summary>
    internal long ReceiveWindowSize
    {
        get
        {
            lock (_recvLock)
            {
                return _recvWindow;
            }
        }
    }

    /// <summary>
    /// Gives back this stream's share of the session's window-growth budget (once; the stream is leaving the session).
    /// </summary>
    internal long ReleaseWindowGrowth()
    {
        lock (_recvLock)
        {
            if (_windowGrowthReleased)
            {
                return 0;
            }

            _windowGrowthReleased = true;
            return _recvWindow - _session.Options.InitialWindowSize;
        }
    }

    /// <summary>Bytes the remote may still send before it needs a window update from us.</summary>
    internal long ReceiveCredit => Interlocked.Read(ref _recvCredit);

    /// <summary>Accounts for an inbound Data frame (read loop; the caller checked it fits).</summary>
    internal void ConsumeReceiveCredit(uint length) => Interlocked.Add(ref _recvCredit, -length);

    /// <summary>Adds send window granted by the remote (or returns window reserved by a cancelled write).</summary>
    internal void OnWindowUpdate(uint delta)
    {
        TaskCompletionSource? waiter;
        lock (_sendLock)
        {
            _sendWindow += delta;
            waiter = _sendWaiter;
            _sendWaiter = null;
        }

        waiter?.TrySetResult();
    }

    private void WakeWriters()
    {
        TaskCompletionSource? waiter;
        lock (_sendLock)
        {
            waiter = _sendWaiter;
            _sendWaiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>Takes up to <paramref name="wanted"/> bytes of send window, waiting while it is zero.</summary>
    private ValueTask<int> ReserveSendWindowAsync(int wanted, CancellationToken cancellationToken)
    {
        lock (_sendLock)
        {
            ThrowIfCannotWrite();
            if (_sendWindow > 0)
            {
                int size = (int)Math.Min(wanted, _sendWindow);
                _sendWindow -= size;
                return new ValueTask<int>(size);
            }
        }

        return WaitForSendWindowAsync(wanted, cancellationToken);
    }

    private async ValueTask<int> WaitForSendWindowAsync(int wanted, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_sendLock)
            {
                ThrowIfCannotWrite();
                if (_sendWindow > 0)
                {
                    int size = (int)Math.Min(wanted, _sendWindow);
                    _sendWindow -= size;
                    return size;
                }

                _sendWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _sendWaiter.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The application consumed <paramref name="count"/> bytes. Once half the window was consumed, grant it back with a
    /// window update, and double the window (up to the maximum) when the window rather than the reader is what limits
    /// the transfer: either the reader has drained nearly everything received (it is waiting on the sender), or the
    /// update comes within a couple of RTTs of the previous one. The RTT rule alone (go-yamux's) almost never fires on
    /// low-latency links, where one ping's RTT is smaller than the scheduling noise; a slow reader never grows the window,
    /// so memory stays bounded by what the application actually keeps up with.
    /// </summary>
    private void OnConsumed(int count)
    {
        uint delta;
        long grownTo = 0;
        lock (_recvLock)
        {
            _consumedSinceUpdate += count;
            if (_consumedSinceUpdate < _recvWindow / 2 || !IsReceiving)
            {
                return;
            }

            TimeProvider time = _session.Time;
            long now = time.GetTimestamp();
            TimeSpan rtt = _session.Rtt;
            long grow = 0;
            int max = _session.Options.MaxWindowSize;
            // Bytes received but not yet read: window = credit + unread + consumed-since-update.
            long unread = _recvWindow - Interlocked.Read(ref _recvCredit) - _consumedSinceUpdate;
            bool readerKeepsUp = unread <= _recvWindow / 4;
            bool updatesComeFast = rtt > TimeSpan.Zero && time.GetElapsedTime(_epochStart, now) < rtt * WindowGrowthRttMultiplier;
            if (_recvWindow < max && (readerKeepsUp || updatesComeFast))
            {
                grow = Math.Min(_recvWindow * 2, max) - _recvWindow;
                if (!_windowGrowthReleased && _session.TryReserveWindowGrowth(grow))
                {
                    _recvWindow += grow;
                    grownTo = _recvWindow;
                }
                else
                {
                    grow = 0; // The session's budget is spent: keep streaming at the current window.
                }
            }

            _epochStart = now;
            delta = (uint)(_consumedSinceUpdate + grow);
            _consumedSinceUpdate = 0;
            Interlocked.Add(ref _recvCredit, delta);
        }

        if (grownTo != 0)
        {
            _session.LogWindowGrown(Id, grownTo);
        }

        _session.EnqueueControl(new YamuxFrameHeader(YamuxFrameType.WindowUpdate, YamuxFrameFlags.None, Id, delta));
    }
}
