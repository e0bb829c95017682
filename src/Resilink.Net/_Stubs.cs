#pragma warning disable CS1591, CA1822, IDE0060, CA1065, CA1711, CA1716, CA1720, CA1725, CA1819, CA2225
// TEMPORARY: API surfaces being written in other branches; deleted when they merge.
using System.Net;
using Microsoft.Extensions.Logging;
namespace Resilink.Net.Identity
{
    public enum KeyType { Rsa = 0, Ed25519 = 1, Secp256k1 = 2, Ecdsa = 3 }
    public sealed class PublicKey : IEquatable<PublicKey>
    {
        public KeyType Type => throw new NotImplementedException();
        public ReadOnlyMemory<byte> Raw => throw new NotImplementedException();
        public static PublicKey FromProtobuf(ReadOnlySpan<byte> b) => throw new NotImplementedException();
        public byte[] ToProtobuf() => throw new NotImplementedException();
        public bool Verify(ReadOnlySpan<byte> d, ReadOnlySpan<byte> s) => throw new NotImplementedException();
        public PeerId ToPeerId() => throw new NotImplementedException();
        public bool Equals(PublicKey? o) => false;
        public override bool Equals(object? o) => false;
        public override int GetHashCode() => 0;
    }
    public sealed class KeyPair : IDisposable
    {
        public static KeyPair GenerateEd25519() => throw new NotImplementedException();
        public static KeyPair FromEd25519Seed(ReadOnlySpan<byte> s) => throw new NotImplementedException();
        public static KeyPair FromProtobufPrivateKey(ReadOnlySpan<byte> s) => throw new NotImplementedException();
        public byte[] ExportProtobufPrivateKey() => throw new NotImplementedException();
        public PublicKey PublicKey => throw new NotImplementedException();
        public PeerId PeerId => throw new NotImplementedException();
        public byte[] Sign(ReadOnlySpan<byte> d) => throw new NotImplementedException();
        public void Dispose() { }
    }
    public sealed class PeerId : IEquatable<PeerId>
    {
        public static PeerId FromPublicKey(PublicKey k) => throw new NotImplementedException();
        public static PeerId FromBytes(ReadOnlySpan<byte> b) => throw new NotImplementedException();
        public static PeerId Parse(string s) => throw new NotImplementedException();
        public static bool TryParse(string? s, out PeerId? p) => throw new NotImplementedException();
        public ReadOnlyMemory<byte> Bytes => throw new NotImplementedException();
        public byte[] ToBytes() => throw new NotImplementedException();
        public bool Matches(PublicKey k) => throw new NotImplementedException();
        public bool Equals(PeerId? o) => false;
        public override bool Equals(object? o) => false;
        public override int GetHashCode() => 0;
    }
}
namespace Resilink.Net.Security.Noise
{
    using Resilink.Net.Identity;
    public static class NoiseHandshake
    {
        public const string ProtocolId = "/noise";
        public static ValueTask<NoiseSecureStream> SecureOutboundAsync(Stream inner, KeyPair localIdentity, PeerId? expectedRemote, CancellationToken cancellationToken = default) => throw new NotImplementedException();
        public static ValueTask<NoiseSecureStream> SecureInboundAsync(Stream inner, KeyPair localIdentity, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    }
    public abstract class NoiseSecureStream : Stream
    {
        public PeerId RemotePeer => throw new NotImplementedException();
        public PublicKey RemotePublicKey => throw new NotImplementedException();
    }
}
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
