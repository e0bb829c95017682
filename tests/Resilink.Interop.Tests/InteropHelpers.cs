using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Net.Protocols.Echo;
using Resilink.Net.Identity;

namespace Resilink.Interop.Tests;

internal static class InteropHelpers
{
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The pattern peer.mjs checks echoes against: byte i = (i * 31 + 7) &amp; 0xff.</summary>
    public static byte[] Pattern(int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)((i * 31) + 7);
        }
        return bytes;
    }

    public static async Task<Libp2pHost> StartHostAsync(CancellationToken cancellationToken)
    {
        var host = new Libp2pHost();
        await host.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], cancellationToken);
        return host;
    }

    public static string AddressOf(Libp2pHost host) => host.ListenAddresses[0].Encapsulate("/p2p/" + host.PeerId).ToString();

    public static Task<byte[]> EchoAsync(Libp2pHost from, PeerId to, byte[] payload, CancellationToken cancellationToken) =>
        EchoProtocol.EchoAsync(from, to, payload, cancellationToken);
}
