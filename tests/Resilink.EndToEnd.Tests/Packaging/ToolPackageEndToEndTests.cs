using Resilink.EndToEnd.Tests.Support;
using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Packaging;

/// <summary>
/// The <c>resilink</c> .NET tool as a user gets it: packed from this repository, installed with <c>dotnet tool
/// install</c> into a tool path of its own, and run from there — two installed nodes ping each other.
/// </summary>
[Collection(nameof(PackagingGroup))]
public sealed class ToolPackageEndToEndTests
{
    // A Release build of the CLI and the libraries it ships, from scratch on a fresh clone: about a minute on 2 cores.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task PackedTool_InstalledIntoAToolPath_PrintsItsVersionAndPingsAnotherInstalledNode()
    {
        using var deadline = new CancellationTokenSource(Patience);
        using var temp = new TempDirectory("resilink-tool-");
        string packages = temp.File("nupkg");
        string tools = temp.File("tools");

        // Only the tool's project: its package carries the libraries it needs. --no-restore: the test project's
        // build restored it already, and a restore here would rewrite obj/ files a concurrent Debug build reads.
        await RunDotnetAsync(
            ["pack", CliProcess.ProjectDirectory(Path.Combine("src", "Resilink.Cli")), "-c", "Release", "--no-restore", "-nodeReuse:false", "-o", packages],
            deadline.Token);
        string version = PackageVersion(Directory.GetFiles(packages, "resilink.*.nupkg").Single());
        await RunDotnetAsync(
            ["tool", "install", "resilink", "--version", version, "--tool-path", tools, "--configfile", LocalOnlyNuGetConfig(temp, packages)],
            deadline.Token);
        string resilink = Path.Combine(tools, "resilink");

        await using var versionCommand = CliProcess.StartExecutable(resilink, temp.Path, "--version");
        Assert.True(await versionCommand.WaitForExitAsync(deadline.Token) == 0, versionCommand.Output);
        Assert.StartsWith(version, versionCommand.StandardOutput.Trim(), StringComparison.Ordinal);

        await using var listen = CliProcess.StartExecutable(resilink, temp.Path, "listen", "--listen", "/ip4/127.0.0.1/tcp/0");
        string listening = await listen.WaitForLineAsync(line => line.StartsWith("listening on ", StringComparison.Ordinal), deadline.Token);
        string address = listening["listening on ".Length..];
        await using var ping = CliProcess.StartExecutable(resilink, temp.Path, "ping", address, "-c", "2");

        Assert.True(await ping.WaitForExitAsync(deadline.Token) == 0, ping.Output);
        Assert.Contains("2 pings transmitted, 2 received", ping.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>Runs <c>dotnet</c> to completion; a non-zero exit fails the test with everything it printed.</summary>
    private static async Task RunDotnetAsync(string[] arguments, CancellationToken cancellationToken)
    {
        await using var dotnet = CliProcess.StartExecutable("dotnet", workingDirectory: null, arguments);
        int code = await dotnet.WaitForExitAsync(cancellationToken);
        Assert.True(code == 0, $"dotnet {string.Join(' ', arguments)} exited {code}:\n{dotnet.Output}");
    }

    /// <summary><c>resilink.0.1.0.nupkg</c> → <c>0.1.0</c>.</summary>
    private static string PackageVersion(string package) => Path.GetFileNameWithoutExtension(package)["resilink.".Length..];

    /// <summary>
    /// A NuGet configuration with the freshly packed folder as its only source and a packages folder of its own, so the
    /// install neither asks nuget.org for a "resilink" nor finds a stale copy of this version in the user's cache.
    /// </summary>
    private static string LocalOnlyNuGetConfig(TempDirectory temp, string source)
    {
        string path = temp.File("nuget.config");
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{temp.File("packages")}" /></config>
              <packageSources><clear /><add key="packed" value="{source}" /></packageSources>
            </configuration>
            """);
        return path;
    }
}
