using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Cli;

/// <summary><c>resilink chaos-proxy</c>, the built CLI run as a process between the test and a TCP echo server.</summary>
public sealed class ChaosProxyCommandEndToEndTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(30));
    private readonly TcpListener _echo = new(IPAddress.Loopback, 0);
    private Task _echoLoop = Task.CompletedTask;

    public Task InitializeAsync()
    {
        _echo.Start();
        _echoLoop = EchoAsync(_deadline.Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _deadline.CancelAsync();
        _echo.Stop();
        await _echoLoop.ContinueWith(_ => { }, TaskScheduler.Default);
        _deadline.Dispose();
    }

    [Fact]
    public async Task ChaosProxy_Latency100_EveryRoundTripTakesAtLeast200MsAndTheLatencyChangesAtRunTime()
    {
        var target = (IPEndPoint)_echo.LocalEndpoint;
        await using var proxy = CliProcess.Start("chaos-proxy", "--target", $"127.0.0.1:{target.Port}", "--latency", "100");
        var endPoint = await ListeningOnAsync(proxy);
        using var client = new TcpClient();
        await client.ConnectAsync(endPoint, _deadline.Token);
        var stream = client.GetStream();

        var slow = await RoundTripAsync(stream);
        await proxy.WriteLineAsync("latency 0");
        var answer = await proxy.WaitForLineAsync(l => l.StartsWith("ok ", StringComparison.Ordinal) || l.StartsWith("error ", StringComparison.Ordinal), _deadline.Token);
        await proxy.WriteLineAsync("latency -3");
        var refusal = await proxy.WaitForLineAsync(l => l.StartsWith("ok ", StringComparison.Ordinal) || l.StartsWith("error ", StringComparison.Ordinal), _deadline.Token);

        // 100 ms each way: the proxy holds every chunk that long in both directions, so no round trip can be faster.
        Assert.True(slow >= TimeSpan.FromMilliseconds(200), $"round trip {slow.TotalMilliseconds:0} ms through +100 ms each way");
        Assert.Contains("latency=0ms", answer, StringComparison.Ordinal);
        Assert.StartsWith("error 'latency -3'", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChaosProxy_BlackholeCommand_RoundTripsStopThenResumeWhenTurnedOff()
    {
        var target = (IPEndPoint)_echo.LocalEndpoint;
        await using var proxy = CliProcess.Start("chaos-proxy", "--target", $"/ip4/127.0.0.1/tcp/{target.Port}");
        var endPoint = await ListeningOnAsync(proxy);
        using var client = new TcpClient();
        await client.ConnectAsync(endPoint, _deadline.Token);
        var stream = client.GetStream();
        await RoundTripAsync(stream);

        await proxy.WriteLineAsync("blackhole on");
        await proxy.WaitForLineAsync(l => l.Contains("blackhole=on", StringComparison.Ordinal), _deadline.Token);
        await stream.WriteAsync(new byte[] { 7 }, _deadline.Token);
        var read = stream.ReadAsync(new byte[1], _deadline.Token).AsTask();
        var heldBack = await Task.WhenAny(read, Task.Delay(TimeSpan.FromMilliseconds(300), _deadline.Token)) != read;
        await proxy.WriteLineAsync("blackhole off");
        var released = await read.WaitAsync(_deadline.Token);

        Assert.True(heldBack, "a byte came back through the black hole");
        Assert.Equal(1, released); // the held byte is delivered once the black hole is off
    }

    [Theory]
    [InlineData("--latency", "-5")]
    [InlineData("--loss", "2")]
    [InlineData("--bandwidth", "0")]
    public async Task ChaosProxy_BadArgument_OneClearLineAndExitCode2(string option, string value)
    {
        await using var proxy = CliProcess.Start("chaos-proxy", "--target", "127.0.0.1:1", option, value);

        var code = await proxy.WaitForExitAsync(_deadline.Token);

        Assert.Equal(2, code);
        Assert.Contains(option, proxy.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChaosProxy_TargetNotAnEndpoint_ExitCode2NamingIt()
    {
        await using var proxy = CliProcess.Start("chaos-proxy", "--target", "nowhere");

        var code = await proxy.WaitForExitAsync(_deadline.Token);

        Assert.Equal(2, code);
        Assert.Contains("--target 'nowhere'", proxy.StandardError, StringComparison.Ordinal);
    }

    private async Task<IPEndPoint> ListeningOnAsync(CliProcess proxy)
    {
        var line = await proxy.WaitForLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), _deadline.Token);
        return IPEndPoint.Parse(line["listening on ".Length..line.IndexOf(" ->", StringComparison.Ordinal)]);
    }

    private async Task<TimeSpan> RoundTripAsync(NetworkStream stream)
    {
        var started = Stopwatch.GetTimestamp();
        await stream.WriteAsync(new byte[] { 42 }, _deadline.Token);
        var buffer = new byte[1];
        Assert.Equal(1, await stream.ReadAsync(buffer, _deadline.Token));
        Assert.Equal(42, buffer[0]);
        return Stopwatch.GetElapsedTime(started);
    }

    private async Task EchoAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var socket = await _echo.AcceptSocketAsync(cancellationToken);
            _ = Task.Run(async () =>
            {
                using (socket)
                {
                    var buffer = new byte[4096];
                    int n;
                    while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
                    {
                        await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, cancellationToken);
                    }
                }
            }, cancellationToken);
        }
    }
}
