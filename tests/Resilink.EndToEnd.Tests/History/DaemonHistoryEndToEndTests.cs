using Microsoft.Data.Sqlite;
using Resilink.EndToEnd.Tests.Support;
using Resilink.Hosting.History;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.TestSupport;
using Resilink.Tests.Shared;

namespace Resilink.EndToEnd.Tests.History;

/// <summary><c>resilink daemon --data-dir</c>, the built CLI run as a process: its history outlives the process.</summary>
public sealed class DaemonHistoryEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Daemon_Restarted_LastRunsHistoryIsStillThere()
    {
        using var deadline = new CancellationTokenSource(Patience);
        using var directory = new TempDirectory("history-");
        var database = Path.Combine(directory.Path, "history.db");
        await using var peer = new Libp2pHost();
        await peer.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")]);
        var peerAddress = peer.ListenAddresses[0].Encapsulate("/p2p/" + peer.PeerId).ToString();

        long samplesOfFirstRun;
        await using (var first = StartDaemon(directory.Path, "--peer", peerAddress))
        {
            Assert.Equal($"history in {database}", await LineAsync(first, "history in ", deadline.Token));
            await LineAsync(first, "health ", deadline.Token, "-> Healthy");
            // Samples are taken every health interval and written within a second; wait until some are on disk.
            samplesOfFirstRun = await PollCountAsync(database, "samples", n => n > 0, deadline.Token);
            await StopAsync(first, deadline.Token);
        }
        long samplesAfterStop = await CountAsync(database, "samples");
        Assert.True(samplesAfterStop >= samplesOfFirstRun);
        Assert.True(await CountAsync(database, "status_changes", $"current = 'Healthy' AND peer = '{peer.PeerId}'") >= 1);

        await using (var second = StartDaemon(directory.Path))
        {
            Assert.Equal($"history in {database}", await LineAsync(second, "history in ", deadline.Token));
            await using var history = new SqliteHealthHistory(new HealthHistoryOptions { DataDirectory = directory.Path });
            var samples = await history.GetSamplesAsync(null, DateTimeOffset.MinValue, 10_000, deadline.Token);
            Assert.Equal(samplesAfterStop, samples.Count);
            Assert.All(samples, s => Assert.Equal(peer.PeerId.ToString(), s.PeerId));
            await StopAsync(second, deadline.Token);
        }
        Assert.Equal(samplesAfterStop, await CountAsync(database, "samples"));
    }

    [Fact]
    public async Task Daemon_NoHistory_CreatesNoDatabase()
    {
        using var deadline = new CancellationTokenSource(Patience);
        using var directory = new TempDirectory("history-");

        await using var daemon = StartDaemon(directory.Path, "--no-history");
        await LineAsync(daemon, "http on ", deadline.Token);
        await StopAsync(daemon, deadline.Token);

        Assert.DoesNotContain("history in", daemon.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(directory.Path, "history.db")));
    }

    [Fact]
    public async Task Daemon_EmptyDataDir_ExitsWithCode2()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var daemon = CliProcess.Start("daemon", "--http", "127.0.0.1:0", "--data-dir", " ");

        Assert.Equal(2, await daemon.WaitForExitAsync(deadline.Token));
        Assert.Equal("resilink daemon: --data-dir must not be empty.", daemon.StandardError.Trim());
    }

    private static CliProcess StartDaemon(string dataDirectory, params string[] more) => CliProcess.Start(
        ["daemon", "--http", "127.0.0.1:0", "--listen", "/ip4/127.0.0.1/tcp/0", "--health-interval", "0.2", "--ping-timeout", "1",
         "--connections", "1", "--data-dir", dataDirectory, .. more]);

    private static async Task<string> LineAsync(CliProcess daemon, string prefix, CancellationToken cancellationToken, string? containing = null)
    {
        try
        {
            return await daemon.WaitForLineAsync(
                l => l.StartsWith(prefix, StringComparison.Ordinal) && (containing is null || l.Contains(containing, StringComparison.Ordinal)),
                cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"resilink daemon never printed '{prefix}…{containing}'. Output:\n{daemon.Output}");
        }
    }

    private static async Task StopAsync(CliProcess daemon, CancellationToken cancellationToken)
    {
        daemon.Interrupt();
        var exitCode = await daemon.WaitForExitAsync(cancellationToken);
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{daemon.Output}");
    }

    private static Task<long> PollCountAsync(string database, string table, Func<long, bool> done, CancellationToken cancellationToken) =>
        Poll.UntilAsync(
            async () => File.Exists(database) ? await CountAsync(database, table) : 0,
            done,
            TimeSpan.FromMilliseconds(100),
            count => $"{table} in {database} still has {count} rows",
            cancellationToken);

    /// <summary>Counts rows straight from the file, as any SQLite client would, not through the store.</summary>
    private static async Task<long> CountAsync(string database, string table, string where = "1 = 1")
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {where}";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
