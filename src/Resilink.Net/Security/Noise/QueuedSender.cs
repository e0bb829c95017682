using System.Buffers;
using System.Threading.Channels;

namespace Resilink.Net.Security.Noise;

/// <summary>
/// Writes pooled buffers to a stream, in order, from one background loop, so that the writer can encrypt the next
/// batch while the kernel sends the previous one. On loopback the send syscall does most of the TCP work, so doing it
/// on the encrypting thread serialises two of the three most expensive steps of a transfer.
/// At most <c>depth</c> buffers wait, which bounds the memory a connection can hold in its send queue.
/// Small buffers sent while nothing is queued are written inline instead: a ping or a request must not pay a thread hop.
/// Callers send one buffer at a time (the Noise stream has a single writer), which is what keeps the inline path ordered.
/// </summary>
internal sealed class QueuedSender
{
    private readonly Stream _inner;
    private readonly Channel<Item> _queue;
    private readonly Task _loop;
    private readonly int _inlineThreshold;
    private int _pending; // queued or being written by the loop
    private long _completedSends;
    private Exception? _fault;

    public QueuedSender(Stream inner, int depth, int inlineThreshold)
    {
        _inner = inner;
        _inlineThreshold = inlineThreshold;
        _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(depth)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The loop's task; completes once the queue is completed and drained, or the inner stream failed.</summary>
    public Task Completion => _loop;

    /// <summary>Buffers written to the inner stream so far; lets a drain tell a slow peer from a stuck one.</summary>
    public long CompletedSends => Interlocked.Read(ref _completedSends);

    /// <summary>
    /// Queues <paramref name="length"/> bytes of <paramref name="buffer"/>, which must come from <see cref="ArrayPool{T}.Shared"/>;
    /// ownership passes to the sender, whatever happens.
    /// </summary>
    /// <exception cref="IOException">An earlier send failed, or the sender was completed.</exception>
    public async ValueTask SendAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        if (length <= _inlineThreshold && Volatile.Read(ref _pending) == 0 && _fault is null)
        {
            await SendInlineAsync(buffer, length, cancellationToken).ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref _pending);
        try
        {
            await _queue.Writer.WriteAsync(new Item(buffer, length, null), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            Interlocked.Decrement(ref _pending);
            ArrayPool<byte>.Shared.Return(buffer);
            // A caller's own cancellation stays a cancellation; a dead connection is an IOException, always.
            throw ex is OperationCanceledException && _fault is null ? ex : ClosedException();
        }
    }

    private async ValueTask SendInlineAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        try
        {
            await _inner.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A write cut short (cancelled or failed) leaves a partial frame on the wire: nothing can follow it.
            Fail(ex);
            if (ex is OperationCanceledException)
            {
                throw;
            }
            throw ClosedException();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Completes when everything queued before this call has been written to the inner stream.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            Interlocked.Increment(ref _pending);
            await _queue.Writer.WriteAsync(new Item(null, 0, flushed), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ChannelClosedException || (ex is OperationCanceledException && _fault is not null))
        {
            Interlocked.Decrement(ref _pending);
            throw ClosedException();
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _pending);
            throw;
        }
        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops accepting buffers; those already queued are still sent.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task RunAsync()
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (item.Buffer is null)
                {
                    item.Flushed!.TrySetResult();
                    Interlocked.Decrement(ref _pending);
                    continue;
                }
                try
                {
                    await _inner.WriteAsync(item.Buffer.AsMemory(0, item.Length)).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(item.Buffer);
                    Interlocked.Decrement(ref _pending);
                }
                Interlocked.Increment(ref _completedSends);
            }
        }
#pragma warning disable CA1031 // The loop's failure is every later writer's failure: keep it, never let it escape unobserved.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(ex);
            while (_queue.Reader.TryRead(out var item))
            {
                if (item.Buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(item.Buffer);
                }
                item.Flushed?.TrySetException(ClosedException());
            }
        }
    }

    /// <summary>Records the first failure and closes the queue with an IOException (never a stale cancellation).</summary>
    private void Fail(Exception ex)
    {
        _fault ??= ex;
        _queue.Writer.TryComplete(ClosedException());
    }

    private IOException ClosedException() => _fault is { } fault
        ? new IOException("Writing to the connection failed: " + fault.Message, fault)
        : new IOException("The connection is closed for writing.");

    private readonly record struct Item(byte[]? Buffer, int Length, TaskCompletionSource? Flushed);
}
