using System.IO.Pipelines;

namespace Resilink.Net.Muxing.Yamux;

/// <summary>Inbound side: the single background read loop that parses, validates and dispatches frames.</summary>
public sealed partial class YamuxSession
{
    /// <summary>Largest chunk requested from a stream's receive pipe per transport read.</summary>
    private const int ReceiveChunkSize = 64 * 1024;

    private byte[]? _discardBuffer;

    /// <summary>Reads frames until EOF, failure or close. Never throws; always closes the session on exit.</summary>
    private async Task ReadLoopAsync()
    {
        Exception reason;
        CancellationToken token = _closeCts.Token;
        byte[] header = new byte[YamuxFrameHeader.Size];
        try
        {
            while (true)
            {
                int read = await _transport.ReadAtLeastAsync(header, YamuxFrameHeader.Size, throwOnEndOfStream: false, token).ConfigureAwait(false);
                if (read == 0)
                {
                    reason = new YamuxException("The connection was closed by the remote peer (transport EOF).");
                    break;
                }

                if (read < YamuxFrameHeader.Size)
                {
                    reason = new YamuxException("The connection was closed in the middle of a Yamux frame header.");
                    break;
                }

                if (header[0] != YamuxFrameHeader.Version)
                {
                    throw new YamuxProtocolException($"unsupported version {header[0]}.");
                }

                if (header[1] > (byte)YamuxFrameType.GoAway)
                {
                    throw new YamuxProtocolException($"unknown frame type {header[1]}.");
                }

                YamuxFrameHeader frame = YamuxFrameHeader.Read(header);
                switch (frame.Type)
                {
                    case YamuxFrameType.Data:
                    case YamuxFrameType.WindowUpdate:
                        await HandleStreamFrameAsync(frame, token).ConfigureAwait(false);
                        break;
                    case YamuxFrameType.Ping:
                        HandlePing(frame);
                        break;
                    default:
                        HandleGoAway(frame);
                        break;
                }
            }
        }
        catch (YamuxProtocolException ex)
        {
            reason = ex;
            Log.ProtocolError(_logger, ex.Message);
            await TrySendGoAwayAsync(YamuxGoAwayCode.ProtocolError).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Background loop: every failure becomes the session's close reason.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            reason = CloseReason ?? (ex is EndOfStreamException
                ? new YamuxException("The connection was closed by the remote peer in the middle of a Yamux frame.", ex)
                : new YamuxException("Reading from the Yamux transport failed.", ex));
        }

        Close(reason);
    }

    private async ValueTask TrySendGoAwayAsync(YamuxGoAwayCode code)
    {
        try
        {
            using var timeout = new CancellationTokenSource(CloseTimeout, _time);
            await WriteFrameAsync(new YamuxFrameHeader(YamuxFrameType.GoAway, YamuxFrameFlags.None, 0, (uint)code), ReadOnlyMemory<byte>.Empty, timeout.Token, cancelTransportWrite: true).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort before closing the session.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private bool IsRemoteStreamId(uint id) => (id & 1) == (_isInitiator ? 0u : 1u);

    private async ValueTask HandleStreamFrameAsync(YamuxFrameHeader frame, CancellationToken token)
    {
        uint id = frame.StreamId;
        if (id == 0)
        {
            throw new YamuxProtocolException($"{frame.Type} frame on reserved stream id 0.");
        }

        bool remoteId = IsRemoteStreamId(id);
        YamuxStream? stream;
        if ((frame.Flags & YamuxFrameFlags.Syn) != 0)
        {
            if (!remoteId)
            {
                throw new YamuxProtocolException($"remote opened stream {id}, which has this side's id parity.");
            }

            // Concurrent opens may put SYNs on the wire out of id order (go-yamux and we do), so only live ids are duplicates.
            if (_streams.ContainsKey(id))
            {
                throw new YamuxProtocolException($"remote opened stream {id}, which is already open.");
            }

            _maxRemoteId = Math.Max(_maxRemoteId, id);
            stream = AcceptInbound(id);
            if (stream is null)
            {
                await DiscardPayloadAsync(frame, token).ConfigureAwait(false);
                return;
            }
        }
        else if (!_streams.TryGetValue(id, out stream))
        {
            bool everOpened = remoteId ? id <= _maxRemoteId : id < Volatile.Read(ref _nextOutboundId);
            if (!everOpened)
            {
                throw new YamuxProtocolException($"{frame.Type} frame for stream {id}, which was never opened.");
            }

            // A stream we closed, reset or rejected: drain its data; tell a peer still sending data to stop.
            await DiscardPayloadAsync(frame, token).ConfigureAwait(false);
            if (frame.Type == YamuxFrameType.Data && frame.Length > 0 && (frame.Flags & (YamuxFrameFlags.Rst | YamuxFrameFlags.Fin)) == 0)
            {
                EnqueueControl(new YamuxFrameHeader(YamuxFrameType.WindowUpdate, YamuxFrameFlags.Rst, id, 0));
            }

            return;
        }

        if (frame.Type == YamuxFrameType.WindowUpdate)
        {
            stream.OnWindowUpdate(frame.Length);
        }
        else if (frame.Length > 0)
        {
            await ReceiveDataAsync(stream, frame.Length, token).ConfigureAwait(false);
        }

        if ((frame.Flags & YamuxFrameFlags.Rst) != 0)
        {
            stream.OnRemoteReset();
        }
        else if ((frame.Flags & YamuxFrameFlags.Fin) != 0)
        {
            stream.OnRemoteFin();
        }
    }

    /// <summary>Copies a Data payload straight from the transport into the stream's receive pipe (one copy).</summary>
    private async ValueTask ReceiveDataAsync(YamuxStream stream, uint length, CancellationToken token)
    {
        long credit = stream.ReceiveCredit;
        if (length > credit)
        {
            throw new YamuxProtocolException($"data frame of {length} bytes exceeds stream {stream.Id}'s receive window ({credit} bytes).");
        }

        stream.ConsumeReceiveCredit(length);
        if (!stream.IsReceiving)
        {
            Log.DiscardingData(_logger, stream.Id, length);
            await DiscardAsync(length, token).ConfigureAwait(false);
            return;
        }

        PipeWriter writer = stream.ReceiveWriter;
        int remaining = (int)length;
        while (remaining > 0)
        {
            Memory<byte> memory = writer.GetMemory(Math.Min(remaining, ReceiveChunkSize));
            if (memory.Length > remaining)
            {
                memory = memory[..remaining];
            }

            int read = await _transport.ReadAsync(memory, token).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            writer.Advance(read);
            remaining -= read;

            // Publish per chunk so a reader can start on a large frame before it fully arrived. The pipe never
            // applies back-pressure (flow control bounds it), so this completes synchronously.
            await writer.FlushAsync(token).ConfigureAwait(false);
        }
    }

    private ValueTask DiscardPayloadAsync(YamuxFrameHeader frame, CancellationToken token)
    {
        if (frame.Type != YamuxFrameType.Data || frame.Length == 0)
        {
            return ValueTask.CompletedTask;
        }

        if (frame.Length > (uint)_options.MaxWindowSize)
        {
            throw new YamuxProtocolException($"data frame of {frame.Length} bytes for stream {frame.StreamId} exceeds any window this side grants.");
        }

        Log.DiscardingData(_logger, frame.StreamId, frame.Length);
        return DiscardAsync(frame.Length, token);
    }

    private async ValueTask DiscardAsync(uint length, CancellationToken token)
    {
        byte[] scratch = _discardBuffer ??= new byte[16 * 1024];
        long remaining = length;
        while (remaining > 0)
        {
            int read = await _transport.ReadAsync(scratch.AsMemory(0, (int)Math.Min(remaining, scratch.Length)), token).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            remaining -= read;
        }
    }

    private void HandleGoAway(YamuxFrameHeader frame)
    {
        var code = (YamuxGoAwayCode)frame.Length;
        Log.GoAwayReceived(_logger, code);
        if (code == YamuxGoAwayCode.Normal)
        {
            _remoteGoAway = true;
            return;
        }

        // The peer is tearing the session down because of an error; mirror go-yamux and end the session.
        Close(new YamuxException($"The remote peer sent GoAway with error code {code} ({frame.Length})."));
    }
}
