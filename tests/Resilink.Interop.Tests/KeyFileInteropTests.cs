using System.Diagnostics;
using System.Text.Json;
using Resilink.Interop.Tests.Support;
using Resilink.Net.Identity;
using Resilink.TestSupport;

namespace Resilink.Interop.Tests;

/// <summary>
/// Identity key files move between Resilink and js-libp2p (<c>privateKeyToProtobuf</c> / <c>privateKeyFromProtobuf</c>
/// of @libp2p/crypto, interop/js/keyinfo.mjs) with the same peer ID.
/// </summary>
public sealed class KeyFileInteropTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("resilink-keys-").FullName;
    private readonly CancellationToken _ct = new CancellationTokenSource(InteropHelpers.TestTimeout).Token;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task KeyGenerate_JsReadsTheFile_SamePeerId()
    {
        var file = Path.Combine(_folder, "ours.key");
        await using var cli = CliProcess.Start("key", "generate", "--output", file);
        Assert.True(await cli.WaitForExitAsync(_ct) == 0, cli.Output);
        var ours = cli.StandardOutput.Trim();

        var js = await KeyInfoAsync(file);

        Assert.StartsWith("12D3KooW", ours, StringComparison.Ordinal);
        Assert.Equal(ours, js);
    }

    [Fact]
    public async Task JsWritesAKeyFile_WeLoadIt_SamePeerIdAndTheSameBytes()
    {
        var file = Path.Combine(_folder, "js.key");

        var js = await KeyInfoAsync("--generate", file);

        using var key = KeyFile.Load(file);
        Assert.Equal(js, key.PeerId.ToString());
        Assert.Equal(File.ReadAllBytes(file), key.ExportProtobufPrivateKey()); // the same marshalling, byte for byte
        await using var cli = CliProcess.Start("key", "show", file, "--json");
        Assert.True(await cli.WaitForExitAsync(_ct) == 0, cli.Output);
        using var shown = JsonDocument.Parse(cli.StandardOutput);
        Assert.Equal(js, shown.RootElement.GetProperty("peerId").GetString());
        Assert.Equal("Ed25519", shown.RootElement.GetProperty("keyType").GetString());
        Assert.Equal(key.PublicKey.ToProtobuf(), Convert.FromBase64String(shown.RootElement.GetProperty("publicKey").GetString()!));
    }

    /// <summary>Runs interop/js/keyinfo.mjs and returns the peer ID it prints.</summary>
    private async Task<string> KeyInfoAsync(params string[] arguments)
    {
        await JsPeer.EnsureInstalledAsync(_ct);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("RESILINK_NODE") ?? "node")
        {
            WorkingDirectory = JsPeer.JsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--import", "./polyfill.mjs", "keyinfo.mjs", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        using var node = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = node.StandardOutput.ReadToEndAsync(_ct);
        var stderr = node.StandardError.ReadToEndAsync(_ct);
        await node.WaitForExitAsync(_ct);
        Assert.True(node.ExitCode == 0, $"keyinfo.mjs exited {node.ExitCode}: {await stderr}");
        return (await stdout).Trim();
    }
}
