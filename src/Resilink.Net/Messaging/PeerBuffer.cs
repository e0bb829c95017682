namespace Resilink.Net.Messaging;

/// <summary>One message waiting for a connection; its task completes on acknowledgement or failure.</summary>
internal sealed class BufferedMessage(string type, byte[] payload, long enqueuedAt)
{
    public string Type { get; } = type;

    public byte[] Payload { get; } = payload;

    public long EnqueuedAt { get; } = enqueuedAt;

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Fail(string reason) => Completion.TrySetException(new MessageNotDeliveredException($"A '{Type}' message was not delivered: {reason}."));
}

/// <summary>The bounded, ordered buffer of one peer, with a flag so that only one flush runs at a time. Thread-safe.</summary>
internal sealed class PeerBuffer
{
    private readonly Lock _gate = new();
    private readonly LinkedList<BufferedMessage> _messages = new();
    private long _bytes;
    private int _flushing;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    /// <summary>Adds <paramref name="message"/>, dropping the oldest beyond the limits (the message itself if it alone is too big).</summary>
    public List<BufferedMessage> Add(BufferedMessage message, int maxMessages, long maxBytes)
    {
        var dropped = new List<BufferedMessage>();
        if (maxMessages == 0 || message.Payload.Length > maxBytes)
        {
            message.Fail($"it does not fit a buffer of {maxMessages} messages / {maxBytes} bytes");
            return dropped;
        }

        lock (_gate)
        {
            _messages.AddLast(message);
            _bytes += message.Payload.Length;
            while (_messages.Count > maxMessages || _bytes > maxBytes)
            {
                var oldest = _messages.First!.Value;
                _messages.RemoveFirst();
                _bytes -= oldest.Payload.Length;
                dropped.Add(oldest);
            }
        }
        return dropped;
    }

    public bool TryPeek(out BufferedMessage message)
    {
        lock (_gate)
        {
            message = _messages.First?.Value!;
            return message is not null;
        }
    }

    public bool Remove(BufferedMessage message)
    {
        lock (_gate)
        {
            if (!_messages.Remove(message))
            {
                return false;
            }
            _bytes -= message.Payload.Length;
            return true;
        }
    }

    public List<BufferedMessage> RemoveOlderThan(TimeProvider timeProvider, TimeSpan timeToLive)
    {
        var expired = new List<BufferedMessage>();
        lock (_gate)
        {
            while (_messages.First is { } first && timeProvider.GetElapsedTime(first.Value.EnqueuedAt) >= timeToLive)
            {
                _messages.RemoveFirst();
                _bytes -= first.Value.Payload.Length;
                expired.Add(first.Value);
            }
        }
        return expired;
    }

    public List<BufferedMessage> RemoveAll()
    {
        lock (_gate)
        {
            var all = _messages.ToList();
            _messages.Clear();
            _bytes = 0;
            return all;
        }
    }

    public bool TryBeginFlush() => Interlocked.Exchange(ref _flushing, 1) == 0;

    public void EndFlush() => Volatile.Write(ref _flushing, 0);
}
