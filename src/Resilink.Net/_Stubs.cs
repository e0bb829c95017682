#pragma warning disable CS1591, CA1822, IDE0060, CA1065, CA1711, CA1716, CA1720, CA1725, CA1819, CA2225
// TEMPORARY: API surfaces being written in other branches; deleted when they merge.
using System.Net;
using Microsoft.Extensions.Logging;
namespace Resilink.Net.Muxing.Yamux
{
    public sealed class YamuxOptions { public void Validate() { } }
    public enum YamuxGoAwayCode : uint { Normal = 0, ProtocolError = 1, InternalError = 2 }
    public sealed class YamuxSession : IAsyncDisposable
    {
        public const string ProtocolId = "/yamux/1.0.0";
        public YamuxSession(Stream transport, bool isInitiator, YamuxOptions? options = null, ILogger<YamuxSession>? logger = null, TimeProvider? timeProvider = null) { }
        public void Start() { }
        public ValueTask<YamuxStream> OpenStreamAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
        public ValueTask<YamuxStream> AcceptStreamAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
        public ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
        public ValueTask GoAwayAsync(YamuxGoAwayCode code = YamuxGoAwayCode.Normal, CancellationToken cancellationToken = default) => throw new NotImplementedException();
        public int ActiveStreamCount => 0;
        public bool IsClosed => false;
        public Task Completion => Task.CompletedTask;
        public Exception? CloseReason => null;
        public void Abort(Exception? reason = null) { }
        public ValueTask DisposeAsync() => default;
    }
    public abstract class YamuxStream : Stream
    {
        public uint Id => 0;
        public ValueTask CloseWriteAsync(CancellationToken cancellationToken = default) => default;
        public void Reset() { }
    }
    public class YamuxException : IOException { }
}
