using Resilink.Net.Identity;
using Resilink.Net.Security.Noise;

namespace Resilink.Net.Tests.Security;

public class NoisePayloadTests
{
    [Fact]
    public void BuildPayload_Ed25519Identity_HasLibp2pWireLayoutAndValidSignature()
    {
        using var identity = KeyPair.FromProtobufPrivateKey(Convert.FromHexString(
            "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"));
        var staticKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

        var payload = NoiseHandshake.BuildPayload(identity, staticKey);

        // field 1 (identity_key, bytes): 0x0a 0x24 + 36-byte PublicKey protobuf
        Assert.Equal(0x0a, payload[0]);
        Assert.Equal(0x24, payload[1]);
        Assert.Equal(identity.PublicKey.ToProtobuf(), payload[2..38]);
        // field 2 (identity_sig, bytes): 0x12 0x40 + 64-byte Ed25519 signature; no extensions
        Assert.Equal(0x12, payload[38]);
        Assert.Equal(0x40, payload[39]);
        Assert.Equal(40 + 64, payload.Length);
        var signed = "noise-libp2p-static-key:"u8.ToArray().Concat(staticKey).ToArray();
        Assert.True(identity.PublicKey.Verify(signed, payload.AsSpan(40)));
    }
}
