using System.Text.Json;
using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Cli;

/// <summary><c>resilink demo</c>, the built CLI run as a process: the whole swarm, faults and load in one run.</summary>
public sealed class DemoCommandEndToEndTests
{
    /// <summary>A 15 s run plus start-up, in-flight requests and shutdown, with room for a loaded machine.</summary>
    private static readonly TimeSpan RunPatience = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Demo_Json15Seconds_Exits0WithFaultsDetectedConnectionsReplacedAndNoFailureOnHealthyConnections()
    {
        using var deadline = new CancellationTokenSource(RunPatience);
        await using var demo = CliProcess.Start("demo", "--duration", "15", "--json");

        var code = await demo.WaitForExitAsync(deadline.Token);

        Assert.True(code == 0, demo.Output);
        using var summary = JsonDocument.Parse(demo.StandardOutput); // stdout is the document alone: progress went to stderr
        var root = summary.RootElement;
        var requests = root.GetProperty("requests");
        Assert.True(requests.GetProperty("total").GetInt32() > 100, requests.ToString());
        Assert.True(requests.GetProperty("failedOnHealthyConnections").GetInt32() == 0, requests.ToString());
        Assert.True(root.GetProperty("faultsInjected").GetInt32() >= 3, root.ToString());
        var faults = root.GetProperty("faults").EnumerateArray().ToList();
        var kinds = faults.Where(f => f.GetProperty("skipped").ValueKind == JsonValueKind.Null).Select(f => f.GetProperty("kind").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "latency", "blackhole", "reset" }, kinds);
        var blackHole = Assert.Single(faults, f => f.GetProperty("kind").GetString() == "blackhole");
        Assert.True(blackHole.GetProperty("detectionSeconds").ValueKind == JsonValueKind.Number, blackHole.ToString());
        Assert.True(root.GetProperty("connectionsReplaced").GetInt32() >= 1, root.ToString());
        Assert.Equal(5, root.GetProperty("strategies").GetArrayLength());
        Assert.All(root.GetProperty("strategies").EnumerateArray(), s => Assert.Equal(JsonValueKind.Number, s.GetProperty("p99Ms").ValueKind));
    }

    [Fact]
    public async Task Demo_SameSeedTwice_PrintsTheSameScheduleAndCtrlCEndsWithAPartialSummary()
    {
        var first = await ScheduleThenInterruptAsync("7");
        var second = await ScheduleThenInterruptAsync("7");
        var other = await ScheduleThenInterruptAsync("8");

        Assert.Equal(4, first.Count);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Theory]
    [InlineData("--peers", "1", "--peers")]
    [InlineData("--peers", "17", "--peers")]
    [InlineData("--duration", "0", "--duration")]
    [InlineData("--duration", "9", "--duration")]
    [InlineData("--strategy", "nope", "--strategy")]
    public async Task Demo_BadArgument_Exits2WithOneLineNamingIt(string option, string value, string named)
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var demo = CliProcess.Start("demo", option, value);

        Assert.Equal(2, await demo.WaitForExitAsync(deadline.Token));
        var error = Assert.Single(demo.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("resilink demo: ", StringComparison.Ordinal));
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("watch")]
    [InlineData("ping")]
    [InlineData("dial")]
    [InlineData("listen")]
    [InlineData("daemon")]
    [InlineData("chaos-proxy")]
    public async Task Help_EveryCommand_ShowsExamples(string command)
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var help = CliProcess.Start(command, "--help");

        Assert.Equal(0, await help.WaitForExitAsync(deadline.Token));
        Assert.Contains("Example", help.Output, StringComparison.Ordinal);
        Assert.Contains($"resilink {command} ", help.Output, StringComparison.Ordinal);
    }

    /// <summary>Runs the demo (plain output) until its connections are up, then sends Ctrl+C; returns the schedule lines.</summary>
    private static async Task<List<string>> ScheduleThenInterruptAsync(string seed)
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var demo = CliProcess.Start("demo", "--seed", seed, "--duration", "30");
        await demo.WaitForLineAsync(l => l.Contains("connections up", StringComparison.Ordinal), deadline.Token);
        demo.Interrupt();

        var code = await demo.WaitForExitAsync(deadline.Token);

        Assert.True(code == 0, demo.Output);
        Assert.Contains("(interrupted)", demo.Output, StringComparison.Ordinal);
        return [.. demo.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('+'))];
    }
}
