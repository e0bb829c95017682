using System.Globalization;
using System.Text.RegularExpressions;
using Resilink.TestSupport;
using Xunit.Abstractions;

namespace Resilink.EndToEnd.Tests.Packaging;

/// <summary>
/// README.md's C# as a user meets it: every <c>```csharp</c> block compiles against the packed packages, and the
/// Quick start runs against a real <c>resilink listen</c> node.
/// <para>
/// How a block is compiled (all of them in one project, so one restore and one build): its leading <c>using</c> lines
/// stay at the top of a file of its own, and the rest becomes the body of an <c>async</c> method whose parameters are
/// what the block may take for granted, its <em>prelude</em>. A block is a whole program (<c>args</c>) unless the line
/// just above its fence names another prelude: <c>&lt;!-- compile: web-app --&gt;</c> (an ASP.NET Core app's
/// Program.cs), <c>&lt;!-- compile: services --&gt;</c> (<c>IServiceCollection services</c>) or
/// <c>&lt;!-- compile: host --&gt;</c> (<c>Libp2pHost host, PeerId peer, byte[] payload</c>); see
/// <see cref="ReadmeBlocks.Preludes"/>. Warnings are errors, as in this repository. Compile errors are reported at
/// README.md's own line numbers, under the block they belong to.
/// </para>
/// </summary>
[Collection(nameof(PackagingGroup))]
public sealed class ReadmeSnippetTests(PackedPackages packages, ITestOutputHelper output)
{
    // Restore (from an empty packages folder) and build of the README project; pack time is the fixture's.
    private static readonly TimeSpan BuildPatience = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan RunPatience = TimeSpan.FromSeconds(60);
    private static readonly Lock Gate = new();
    private static Task<ReadmeBuild>? build;

    [Fact]
    public async Task EveryCSharpBlockOfTheReadme_CompilesAgainstThePackedPackages()
    {
        var readme = await BuildOnceAsync();

        Assert.True(readme.Succeeded, "README.md's C# does not compile:\n" + readme.DescribeFailures());
        Assert.True(readme.Blocks.Count >= 5, $"Only {readme.Blocks.Count} ```csharp blocks found in README.md.");
        foreach (var (id, version) in packages.Libraries)
        {
            Assert.Equal(packages.Feed, readme.RestoredFrom(id, version));
        }
    }

    [Fact]
    public async Task QuickStart_RunWithTheAddressOfAResilinkListenNode_PrintsItsAnswersAndMeasuredHealth()
    {
        var readme = await BuildOnceAsync();
        Assert.True(readme.Succeeded, "README.md's C# does not compile (see EveryCSharpBlockOfTheReadme_CompilesAgainstThePackedPackages).");
        using var deadline = new CancellationTokenSource(RunPatience);
        await using var listen = CliProcess.Start("listen", "--listen", "/ip4/127.0.0.1/tcp/0");
        string listening = await listen.WaitForLineAsync(line => line.StartsWith("listening on ", StringComparison.Ordinal), deadline.Token);
        string address = listening["listening on ".Length..];

        await using var quickStart = CliProcess.StartAssembly(readme.Assembly, readme.Folder, address);
        int code = await quickStart.WaitForExitAsync(deadline.Token);
        string printed = quickStart.Output;
        output.WriteLine(printed);

        Assert.True(code == 0, $"The Quick start exited {code}:\n{printed}");
        Assert.True(Number(printed, @"^ping: (?<n>[\d.]+) ms$") > 0, printed);
        Assert.Matches(new Regex(@"^identify: resilink/\S+, protocols .*/echo/1\.0\.0", RegexOptions.Multiline), printed);
        Assert.Matches(new Regex(@"^echo: hello, echo$", RegexOptions.Multiline), printed);
        Assert.Equal(3, Number(printed, @"^connections: (?<n>\d+) "));
        // The first verdict of the watched host's health checks: on a loaded machine the RTT may make it Degraded.
        Assert.Matches(new Regex(@"^\S+: Unknown -> (Healthy|Degraded) ", RegexOptions.Multiline), printed);
        Assert.True(Number(printed, @"^health: (Healthy|Degraded), score (?<n>[\d.]+), ") > 0, printed);
        Assert.True(Number(printed, @", RTT (?<n>[\d.]+) ms$") > 0, printed);
        Assert.Equal(1, Number(printed, @"^network: (?<n>\d+) peer"));
        Assert.True(Number(printed, @"^network: 1 peer\(s\), (?<n>\d+) connection") >= 1, printed);
        Assert.True(Number(printed, @"^resilink_health_connection_rtt_last_seconds\{[^}]*\} (?<n>\S+)$") > 0, printed);
    }

    /// <summary>The number a line of the Quick start's output shows (group <c>n</c> of <paramref name="pattern"/>).</summary>
    private static double Number(string printed, string pattern)
    {
        var match = Regex.Match(printed, pattern, RegexOptions.Multiline);
        Assert.True(match.Success, $"No line matching {pattern} in:\n{printed}");
        return double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Both tests use one build of the README project per test run.</summary>
    private async Task<ReadmeBuild> BuildOnceAsync()
    {
        Task<ReadmeBuild> once;
        lock (Gate)
        {
            once = build ??= BuildAsync(packages);
        }
        var result = await once;
        output.WriteLine($"README project: {result.Blocks.Count} blocks, restore + build {result.Elapsed.TotalSeconds:F0} s");
        return result;
    }

    private static async Task<ReadmeBuild> BuildAsync(PackedPackages packages)
    {
        using var deadline = new CancellationTokenSource(BuildPatience);
        return await ReadmeProject.BuildAsync(packages, deadline.Token);
    }
}
