using System.Collections.Concurrent;
using Resilink.Net.Host;
using Resilink.Net.Identity;

namespace Resilink.Net.Messaging;

// The per-peer buffers: bounded (oldest dropped), expiring, flushed in order when a connection to the peer opens.
public sealed partial class PeerMessenger
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<PeerId, PeerBuffer> _buffers = new();
    private readonly Task _sweeper;

    private bool HasBuffered(PeerId peer) => _buffers.TryGetValue(peer, out var buffer) && buffer.Count > 0;

    private async Task EnqueueAsync(PeerId peer, string type, byte[] payload, CancellationToken cancellationToken)
    {
        var message = new BufferedMessage(type, payload, _timeProvider.GetTimestamp());
        var buffer = _buffers.GetOrAdd(peer, static _ => new PeerBuffer());
        foreach (var dropped in buffer.Add(message, _options.MaxBufferedMessagesPerPeer, _options.MaxBufferedBytesPerPeer))
        {
            Report(peer, -1);
            dropped.Fail($"dropped: the buffer for {peer} is full ({_options.MaxBufferedMessagesPerPeer} messages / {_options.MaxBufferedBytesPerPeer} bytes)");
        }
        if (message.Completion.Task.IsCompleted)
        {
            await message.Completion.Task.ConfigureAwait(false); // it did not fit at all
            return;
        }

        Report(peer, +1);
        _host.RequestConnection(peer);
        if (_host.HasHealthyConnection(peer))
        {
            StartFlush(peer, buffer); // a connection opened between our check and the enqueue
        }

        using var registration = cancellationToken.Register(() =>
        {
            if (buffer.Remove(message))
            {
                Report(peer, -1);
                message.Completion.TrySetCanceled(cancellationToken);
            }
        });
        await message.Completion.Task.ConfigureAwait(false);
    }

    private void OnConnectionOpened(object? sender, Libp2pConnectionEventArgs e)
    {
        if (_buffers.TryGetValue(e.Connection.RemotePeer, out var buffer) && buffer.Count > 0)
        {
            StartFlush(e.Connection.RemotePeer, buffer);
        }
    }

    private void StartFlush(PeerId peer, PeerBuffer buffer)
    {
        if (buffer.TryBeginFlush())
        {
            _ = FlushAsync(peer, buffer); // FlushAsync observes every exception itself
        }
    }

    private async Task FlushAsync(PeerId peer, PeerBuffer buffer)
    {
        try
        {
            while (!_closing.IsCancellationRequested && buffer.TryPeek(out var message))
            {
                try
                {
                    await SendNowAsync(peer, message.Type, message.Payload, _closing.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or TimeoutException or OperationCanceledException)
                {
                    if (_host.HasHealthyConnection(peer) && !_closing.IsCancellationRequested)
                    {
                        continue; // that connection failed, another is there: try again
                    }

                    return; // no connection left: the next ConnectionOpened resumes
                }

                if (buffer.Remove(message))
                {
                    Report(peer, -1);
                }
                message.Completion.TrySetResult();
            }
        }
        finally
        {
            buffer.EndFlush();
            if (buffer.Count > 0 && _host.HasHealthyConnection(peer) && !_closing.IsCancellationRequested)
            {
                StartFlush(peer, buffer); // something arrived while we were finishing
            }
        }
    }

    private async Task SweepExpiredAsync(CancellationToken closing)
    {
        using var timer = new PeriodicTimer(SweepInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(closing).ConfigureAwait(false))
            {
                foreach (var (peer, buffer) in _buffers)
                {
                    foreach (var expired in buffer.RemoveOlderThan(_timeProvider, _options.BufferedMessageTimeToLive))
                    {
                        Report(peer, -1);
                        expired.Fail($"expired: no healthy connection to {peer} within {_options.BufferedMessageTimeToLive.TotalSeconds:0.###} s");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Closed.
        }
    }

    private void FailAllBuffered(string reason)
    {
        foreach (var (peer, buffer) in _buffers)
        {
            foreach (var message in buffer.RemoveAll())
            {
                Report(peer, -1);
                message.Fail(reason);
            }
        }
    }

    private void Report(PeerId peer, int delta) => _host.ConnectionMonitor.OnBufferedMessages(new(peer.ToString(), delta));
}
