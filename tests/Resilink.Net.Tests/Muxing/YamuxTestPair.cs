using Resilink.Net.Muxing.Yamux;
using Resilink.Net.Tests.TestSupport;

namespace Resilink.Net.Tests.Muxing;

/// <summary>A started client/server Yamux session pair over an in-memory or loopback TCP transport.</summary>
internal sealed class YamuxTestPair : IAsyncDisposable
{
    private YamuxTestPair(YamuxSession client, YamuxSession server)
    {
        Client = client;
        Server = server;
        client.Start();
        server.Start();
    }

    public YamuxSession Client { get; }

    public YamuxSession Server { get; }

    public static YamuxTestPair CreateInMemory(YamuxOptions? clientOptions = null, YamuxOptions? serverOptions = null)
    {
        (Stream a, Stream b) = DuplexPipeStreamPair.Create();
        return new YamuxTestPair(new YamuxSession(a, isInitiator: true, clientOptions), new YamuxSession(b, isInitiator: false, serverOptions));
    }

    public static async Task<YamuxTestPair> CreateTcpAsync(YamuxOptions? clientOptions = null, YamuxOptions? serverOptions = null)
    {
        (Stream a, Stream b) = await LoopbackTcpPair.CreateAsync();
        return new YamuxTestPair(new YamuxSession(a, isInitiator: true, clientOptions), new YamuxSession(b, isInitiator: false, serverOptions));
    }

    public static Task<YamuxTestPair> CreateAsync(string transport) =>
        transport == "tcp" ? CreateTcpAsync() : Task.FromResult(CreateInMemory());

    /// <summary>Accepts one stream on <paramref name="session"/> and echoes it until FIN, then half-closes.</summary>
    public static async Task EchoOneAsync(YamuxSession session, CancellationToken cancellationToken)
    {
        await using YamuxStream stream = await session.AcceptStreamAsync(cancellationToken);
        await EchoAsync(stream, cancellationToken);
    }

    public static async Task EchoAsync(YamuxStream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        await stream.CloseWriteAsync(cancellationToken);
    }

    /// <summary>Writes <paramref name="data"/>, half-closes, and concurrently reads everything back until FIN.</summary>
    public static async Task<byte[]> SendAndReceiveAllAsync(YamuxStream stream, byte[] data, CancellationToken cancellationToken)
    {
        Task writer = Task.Run(
            async () =>
            {
                await stream.WriteAsync(data, cancellationToken);
                await stream.CloseWriteAsync(cancellationToken);
            },
            cancellationToken);
        byte[] received = await ReadToEndAsync(stream, cancellationToken);
        await writer;
        return received;
    }

    public static async Task<byte[]> ReadToEndAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var result = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            result.Write(buffer, 0, read);
        }

        return result.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
