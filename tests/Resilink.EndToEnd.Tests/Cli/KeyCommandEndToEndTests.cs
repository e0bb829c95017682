using System.Text.Json;
using Resilink.EndToEnd.Tests.Support;
using Resilink.Net.Identity;
using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Cli;

/// <summary><c>resilink key generate|show</c> and bad <c>--identity</c> files, the built CLI run as a process.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are Unix's
public sealed class KeyCommandEndToEndTests : IDisposable
{
    private static readonly byte[] SpecKey = Convert.FromHexString(
        "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");

    private const string SpecPeerId = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

    private readonly TempDirectory _directory = new("resilink-key-");
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _deadline.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Generate_NewFile_OwnerOnlyPrintsItsPeerIdAndShowAgrees()
    {
        var file = _directory.File("keys/node.key");

        var (generateExit, generated) = await RunAsync("key", "generate", "--output", file);
        var (showExit, shown) = await RunAsync("key", "show", file);
        var (jsonExit, json) = await RunAsync("key", "show", file, "--json");

        Assert.Equal(0, generateExit);
        using var key = KeyFile.Load(file);
        Assert.Equal(key.PeerId.ToString(), generated.StandardOutput.Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(0, showExit);
        Assert.Contains($"peer id    {key.PeerId}", shown.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"public key {Convert.ToBase64String(key.PublicKey.ToProtobuf())}", shown.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, jsonExit);
        using var document = JsonDocument.Parse(json.StandardOutput);
        Assert.Equal(key.PeerId.ToString(), document.RootElement.GetProperty("peerId").GetString());
        Assert.Equal(Convert.ToBase64String(key.PublicKey.ToProtobuf()), document.RootElement.GetProperty("publicKey").GetString());
        Assert.Equal("Ed25519", document.RootElement.GetProperty("keyType").GetString());
    }

    [Fact]
    public async Task Show_SpecVector_PrintsTheSpecPeerId()
    {
        var file = Write("spec.key", SpecKey);

        var (exit, cli) = await RunAsync("key", "show", file, "--json");

        Assert.Equal(0, exit);
        Assert.Equal(SpecPeerId, JsonDocument.Parse(cli.StandardOutput).RootElement.GetProperty("peerId").GetString());
    }

    [Fact]
    public async Task Generate_FileExists_RefusesWithExit1AndLeavesItUntouched()
    {
        var file = Write("node.key", SpecKey);

        var (exit, cli) = await RunAsync("key", "generate", "--output", file);

        Assert.Equal(1, exit);
        Assert.Equal($"resilink key generate: Key file {file} exists already; refusing to overwrite an identity.", cli.StandardError.Trim());
        Assert.Equal(SpecKey, File.ReadAllBytes(file));
    }

    public static TheoryData<string, string, byte[], string> BadFiles()
    {
        var data = new TheoryData<string, string, byte[], string>();
        foreach (var command in new[] { "key show", "listen", "ping", "dial", "watch", "daemon" })
        {
            data.Add(command, "empty", [], "is empty");
            data.Add(command, "garbage", "-----BEGIN PRIVATE KEY-----\n"u8.ToArray(), "is not a libp2p PrivateKey protobuf");
            data.Add(command, "truncated", SpecKey[..40], "is not a libp2p PrivateKey protobuf");
        }
        // secp256k1 (type 2): a valid libp2p key of a type resilink cannot use.
        data.Add("key show", "secp256k1", Convert.FromHexString("0802122053DADF1D5A164D6B4ACDB15E24AA4C5B1D3461BDBD42ABEDB0A4404D56CED8FB"), "holds a key resilink cannot use");
        data.Add("listen", "secp256k1", Convert.FromHexString("0802122053DADF1D5A164D6B4ACDB15E24AA4C5B1D3461BDBD42ABEDB0A4404D56CED8FB"), "holds a key resilink cannot use");
        return data;
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task BadKeyFile_OneLineNamingTheFile_Exit1_FileUntouched(string command, string name, byte[] content, string expected)
    {
        var file = Write(name + ".key", content);
        const string Peer = "/ip4/127.0.0.1/tcp/9/p2p/" + SpecPeerId;
        string[] arguments = command switch
        {
            "key show" => ["key", "show", file],
            "listen" => ["listen", "--identity", file],
            "daemon" => ["daemon", "--no-history", "--http", "127.0.0.1:0", "--identity", file],
            _ => [command, Peer, "--identity", file],
        };

        var (exit, cli) = await RunAsync(arguments);

        Assert.True(exit == 1, $"exit {exit}: {cli.Output}");
        var line = Assert.Single(cli.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"resilink {command}: Key file {file} {expected}", line, StringComparison.Ordinal);
        Assert.Equal("", cli.StandardOutput);
        Assert.Equal(content, File.ReadAllBytes(file)); // never replaced by a new identity
    }

    [Theory]
    [InlineData("key", "show")]
    [InlineData("key", "generate", "--output", "")]
    [InlineData("listen", "--identity", "")]
    [InlineData("ping", "/ip4/127.0.0.1/tcp/9/p2p/" + SpecPeerId, "--identity", " ")]
    public async Task BadArguments_Exit2(params string[] arguments)
    {
        var (exit, cli) = await RunAsync(arguments);

        Assert.True(exit == 2, $"exit {exit}: {cli.Output}");
        Assert.StartsWith($"resilink {arguments[0]}", cli.StandardError, StringComparison.Ordinal);
    }

    private string Write(string name, byte[] content)
    {
        var file = _directory.File(name);
        File.WriteAllBytes(file, content);
        return file;
    }

    private async Task<(int ExitCode, Finished Cli)> RunAsync(params string[] arguments)
    {
        await using var cli = CliProcess.Start(arguments);
        try
        {
            var exit = await cli.WaitForExitAsync(_deadline.Token);
            return (exit, new Finished(cli.StandardOutput, cli.StandardError, cli.Output));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"resilink {string.Join(' ', arguments)} did not exit. Output:\n{cli.Output}");
        }
    }

    /// <summary>What a finished CLI process printed.</summary>
    private sealed record Finished(string StandardOutput, string StandardError, string Output);
}
