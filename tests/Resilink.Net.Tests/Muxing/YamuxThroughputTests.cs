using System.Diagnostics;
using Resilink.Net.Muxing.Yamux;
using Xunit.Abstractions;

namespace Resilink.Net.Tests.Muxing;

/// <summary>Single-stream bulk transfer; reports throughput (numbers are only meaningful in Release builds).</summary>
public sealed class YamuxThroughputTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("memory")]
    [InlineData("tcp")]
    public async Task WriteAsync_BulkTransferOneStream_CompletesAndReportsThroughput(string transport)
    {
        const int chunk = 1024 * 1024;
        const int chunks = 256;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var pair = await YamuxTestPair.CreateAsync(transport);
        await pair.Client.PingAsync(cts.Token); // RTT baseline for window auto-tuning

        Task<long> sink = Task.Run(async () =>
        {
            await using YamuxStream accepted = await pair.Server.AcceptStreamAsync(cts.Token);
            byte[] buffer = new byte[256 * 1024];
            long total = 0;
            int read;
            while ((read = await accepted.ReadAsync(buffer, cts.Token)) > 0)
            {
                total += read;
            }

            output.WriteLine($"final receive window {accepted.ReceiveWindowSize}");
            return total;
        });

        byte[] data = new byte[chunk];
        new Random(1).NextBytes(data);
        await using YamuxStream stream = await pair.Client.OpenStreamAsync(cts.Token);
        TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < chunks; i++)
        {
            await stream.WriteAsync(data, cts.Token);
        }

        await stream.CloseWriteAsync(cts.Token);
        long received = await sink.WaitAsync(cts.Token);
        stopwatch.Stop();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuStart;

        Assert.Equal((long)chunk * chunks, received);
        double gib = received / (1024.0 * 1024 * 1024);
        output.WriteLine($"{transport}: {received / (1024 * 1024)} MiB in {stopwatch.Elapsed.TotalMilliseconds:F0} ms = {gib / stopwatch.Elapsed.TotalSeconds:F2} GiB/s, CPU {cpu.TotalMilliseconds:F0} ms ({cpu.TotalSeconds / gib:F2} CPU-s per GiB, both endpoints)");
    }
}
