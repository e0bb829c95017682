using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Packaging;

/// <summary>
/// The <c>resilink</c> .NET tool as a user gets it: packed from this repository, installed with <c>dotnet tool
/// install</c> into a tool path of its own, and run from there — two installed nodes ping each other.
/// </summary>
[Collection(nameof(PackagingGroup))]
public sealed class ToolPackageEndToEndTests(PackedPackages packages)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task PackedTool_InstalledIntoAToolPath_PrintsItsVersionAndPingsAnotherInstalledNode()
    {
        using var deadline = new CancellationTokenSource(Patience);
        string folder = packages.CreateFolder("tool");
        string tools = Path.Combine(folder, "tools");
        string version = packages.Versions[PackedPackages.ToolId];

        await Dotnet.RunOrFailAsync(
            ["tool", "install", PackedPackages.ToolId, "--version", version, "--tool-path", tools, "--configfile", packages.WriteNuGetConfig(folder, withMachineSources: false)],
            workingDirectory: null, deadline.Token);
        string resilink = Path.Combine(tools, "resilink");

        await using var versionCommand = CliProcess.StartExecutable(resilink, folder, "--version");
        Assert.True(await versionCommand.WaitForExitAsync(deadline.Token) == 0, versionCommand.Output);
        Assert.StartsWith(version, versionCommand.StandardOutput.Trim(), StringComparison.Ordinal);

        await using var listen = CliProcess.StartExecutable(resilink, folder, "listen", "--listen", "/ip4/127.0.0.1/tcp/0");
        string listening = await listen.WaitForLineAsync(line => line.StartsWith("listening on ", StringComparison.Ordinal), deadline.Token);
        string address = listening["listening on ".Length..];
        await using var ping = CliProcess.StartExecutable(resilink, folder, "ping", address, "-c", "2");

        Assert.True(await ping.WaitForExitAsync(deadline.Token) == 0, ping.Output);
        Assert.Contains("2 pings transmitted, 2 received", ping.StandardOutput, StringComparison.Ordinal);
    }
}
