using System.Net;
using System.Net.Sockets;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Cli;

/// <summary>
/// The built CLI run as a process: runtime failures against real sockets end with exit code 1 and one line on stderr
/// (the stack trace only with --verbose), and bad input with exit code 2, never an unhandled exception.
/// </summary>
public sealed class CliFailureEndToEndTests
{
    private const string SomePeerId = "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Listen_PortInUse_Exits1WithOneLine()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var line = await FailsWithOneLineAsync(1, "listen", "--listen", $"/ip4/127.0.0.1/tcp/{port}");

        Assert.StartsWith("resilink listen: ", line, StringComparison.Ordinal);
        Assert.Contains($"/tcp/{port}", line, StringComparison.Ordinal);
        Assert.Contains("in use", line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Listen_NotATcpAddress_Exits1WithOneLine()
    {
        var line = await FailsWithOneLineAsync(1, "listen", "--listen", "/udp/1");

        Assert.StartsWith("resilink listen: ", line, StringComparison.Ordinal);
        Assert.Contains("'/udp/1'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listen_NotATcpAddressWithVerbose_AddsTheStackTrace()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var cli = CliProcess.Start("listen", "--listen", "/udp/1", "--verbose");

        Assert.Equal(1, await cli.WaitForExitAsync(deadline.Token));
        Assert.StartsWith("resilink listen: ", cli.StandardError, StringComparison.Ordinal);
        Assert.Contains("   at ", cli.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_ConnectionRefused_Exits1WithOneLine()
    {
        var port = ClosedPort();

        var line = await FailsWithOneLineAsync(1, "ping", $"/ip4/127.0.0.1/tcp/{port}/p2p/{SomePeerId}", "-c", "1");

        Assert.StartsWith("resilink ping: ", line, StringComparison.Ordinal);
        Assert.Contains("refused", line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Ping_WrongPeerId_Exits1NamingIt()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var peer = new Libp2pHost();
        await using var other = new Libp2pHost();
        await peer.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], deadline.Token);

        var line = await FailsWithOneLineAsync(1, "ping", peer.ListenAddresses[0].Encapsulate("/p2p/" + other.PeerId).ToString(), "-c", "1");

        Assert.StartsWith("resilink ping: ", line, StringComparison.Ordinal);
        Assert.Contains(other.PeerId.ToString(), line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dial_PeerThatNeverAnswers_Exits1WithOneLineAfterTheTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0); // accepts (the kernel does) but never speaks
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;

        var line = await FailsWithOneLineAsync(1, "dial", $"/ip4/127.0.0.1/tcp/{port}/p2p/{SomePeerId}", "--timeout", "1");

        Assert.StartsWith("resilink dial: no connection and identify answer from ", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ping", "--count", "a whole number")]
    [InlineData("ping", "--interval", "a number")]
    [InlineData("dial", "--timeout", "a number")]
    [InlineData("watch", "--duration", "a number")]
    public async Task NotANumber_RealProcess_Exits2WithOneLineNamingTheOption(string command, string option, string expected)
    {
        var line = await FailsWithOneLineAsync(2, command, $"/ip4/127.0.0.1/tcp/1/p2p/{SomePeerId}", option, "abc");

        Assert.Equal($"resilink {command}: {option}: 'abc' is not {expected}.", line);
    }

    [Fact]
    public async Task UnknownCommand_RealProcess_Exits2PointingToTheRootHelp()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var cli = CliProcess.Start("nosuchcommand");

        Assert.Equal(2, await cli.WaitForExitAsync(deadline.Token));
        Assert.EndsWith("Try 'resilink --help'.", cli.StandardError.TrimEnd(), StringComparison.Ordinal);
    }

    /// <summary>Runs the CLI, expects <paramref name="exitCode"/>, nothing on stdout and one line on stderr, and returns that line.</summary>
    private static async Task<string> FailsWithOneLineAsync(int exitCode, params string[] args)
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var cli = CliProcess.Start(args);

        var code = await cli.WaitForExitAsync(deadline.Token);

        Assert.True(code == exitCode, $"exit code {code}\n{cli.Output}");
        Assert.Equal("", cli.StandardOutput);
        return Assert.Single(cli.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>A port nobody listens on: one the kernel just gave out and took back.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
