using Resilink.EndToEnd.Tests.Support;
using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Cli;

/// <summary>
/// <c>resilink daemon --config FILE</c>, the built CLI run as a process: it reads that file and nothing else, never the
/// appsettings.json of the folder it is started in.
/// </summary>
public sealed class DaemonConfigFileEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Daemon_StartedInAFolderWithABadAppsettingsJson_IgnoresIt()
    {
        using var deadline = new CancellationTokenSource(Patience);
        using var folder = new TempDirectory("daemon-cwd-");
        // Each of these would stop a host that read it: an endpoint Kestrel cannot bind, a key no option has.
        await File.WriteAllTextAsync(folder.File("appsettings.json"), """
            { "Kestrel": { "Endpoints": { "Bad": { "Url": "not a url" } } }, "Resilink": { "Helth": { "Enabled": true } } }
            """, deadline.Token);

        await using var daemon = CliProcess.StartAssembly(CliProcess.CliAssembly, folder.Path, "daemon", "--no-history", "--http", "127.0.0.1:0");

        await LineAsync(daemon, "http on ", deadline.Token);
        daemon.Terminate();
        Assert.Equal(0, await ExitCodeAsync(daemon, deadline.Token));
        Assert.Equal("", daemon.StandardError);
    }

    [Fact]
    public async Task Daemon_ConfigFile_SetsTheNodeAndTheCommandLineWinsOverIt()
    {
        using var deadline = new CancellationTokenSource(Patience);
        using var folder = new TempDirectory("daemon-config-");
        int filePort = ExternalServer.FreePort();
        int commandLinePort = ExternalServer.FreePort();
        var config = folder.File("node.json");
        await File.WriteAllTextAsync(config, $$"""
            { "Resilink": { "NodeName": "edge-1", "ListenAddresses": [ "/ip4/127.0.0.1/tcp/{{filePort}}" ] } }
            """, deadline.Token);

        await using (var fromFile = CliProcess.Start("daemon", "--no-history", "--http", "127.0.0.1:0", "--config", config))
        {
            Assert.StartsWith($"listening on /ip4/127.0.0.1/tcp/{filePort}/p2p/", await LineAsync(fromFile, "listening on ", deadline.Token), StringComparison.Ordinal);
            fromFile.Terminate();
            Assert.Equal(0, await ExitCodeAsync(fromFile, deadline.Token));
        }
        await using var overridden = CliProcess.Start(
            "daemon", "--no-history", "--http", "127.0.0.1:0", "--config", config, "--listen", $"/ip4/127.0.0.1/tcp/{commandLinePort}");
        Assert.StartsWith($"listening on /ip4/127.0.0.1/tcp/{commandLinePort}/p2p/", await LineAsync(overridden, "listening on ", deadline.Token), StringComparison.Ordinal);
        overridden.Terminate();
        Assert.Equal(0, await ExitCodeAsync(overridden, deadline.Token));
    }

    [Theory]
    [InlineData(null, "no such file")]
    [InlineData("{ \"Resilink\": ", "node.json")]
    [InlineData("[1, 2]", "node.json")]
    [InlineData("{ \"Resilink\": { \"Helth\": { \"Enabled\": true } } }", "Helth")]
    [InlineData("{ \"Resilink\": { \"Host\": { \"Connections\": { \"MaxConnectionsPerPeer\": 0 } } } }", "MaxConnectionsPerPeer")]
    [InlineData("{ \"Resilink\": { \"PeerRetryInterval\": \"soon\" } }", "PeerRetryInterval")]
    public async Task Daemon_BadConfigFile_ExitsWithCode2AndOneLineNamingTheProblem(string? content, string named)
    {
        using var deadline = new CancellationTokenSource(Patience);
        using var folder = new TempDirectory("daemon-config-");
        var config = folder.File("node.json");
        if (content is not null)
        {
            await File.WriteAllTextAsync(config, content, deadline.Token);
        }

        await using var daemon = CliProcess.Start("daemon", "--no-history", "--http", "127.0.0.1:0", "--config", config);

        Assert.Equal(2, await ExitCodeAsync(daemon, deadline.Token));
        string line = Assert.Single(daemon.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("resilink daemon: --config '", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Equal(daemon.StandardError, daemon.Output); // nothing on stdout
    }

    private static async Task<string> LineAsync(CliProcess daemon, string prefix, CancellationToken cancellationToken) =>
        await daemon.WaitForLineAsync(line => line.StartsWith(prefix, StringComparison.Ordinal), cancellationToken);

    private static async Task<int> ExitCodeAsync(CliProcess daemon, CancellationToken cancellationToken)
    {
        try
        {
            return await daemon.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"resilink daemon did not exit. Output:\n{daemon.Output}");
        }
    }
}
