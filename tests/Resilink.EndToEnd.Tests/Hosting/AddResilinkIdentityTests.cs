using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Resilink.EndToEnd.Tests.Support;
using Resilink.Net.Host;
using Resilink.Net.Identity;

namespace Resilink.EndToEnd.Tests.Hosting;

/// <summary><c>Identity:KeyFile</c> of <c>AddResilink</c>: the node's key file, so its peer ID survives a restart.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are Unix's
public sealed class AddResilinkIdentityTests : IDisposable
{
    private readonly TempDirectory _directory = new("resilink-identity-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task KeyFileConfigured_TwoStarts_SamePeerId_FromAFileCreatedOwnerOnly()
    {
        var file = _directory.File("node/identity.key");
        var section = Section(new() { ["Resilink:Identity:KeyFile"] = file });

        var first = await PeerIdAsync(section);
        var second = await PeerIdAsync(section);

        Assert.Equal(first, second);
        using var key = KeyFile.Load(file);
        Assert.Equal(key.PeerId, first);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task NoKeyFile_EachStartIsANewPeer()
    {
        var section = Section([]);

        Assert.NotEqual(await PeerIdAsync(section), await PeerIdAsync(section));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("folder")]
    [InlineData("both")]
    public void BadIdentityOptions_RefusedNamingIdentityKeyFile(string problem)
    {
        using var other = KeyPair.GenerateEd25519();
        var services = new ServiceCollection().AddLogging();
        services.AddResilink(node =>
        {
            node.Identity.KeyFile = problem switch
            {
                "empty" => " ",
                "folder" => _directory.Path,
                _ => _directory.File("identity.key"),
            };
            if (problem == "both")
            {
                node.Host.Identity = other;
            }
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<Resilink.Hosting.ResilinkNodeOptions>>().Value);

        Assert.Contains("Identity:KeyFile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnusableKeyFile_CreatingTheHostThrowsKeyFileExceptionNamingIt_AndLeavesTheFile()
    {
        var file = _directory.File("identity.key");
        File.WriteAllBytes(file, [0x08, 0x01]);
        var services = new ServiceCollection().AddLogging();
        services.AddResilink(Section(new() { ["Resilink:Identity:KeyFile"] = file }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<KeyFileException>(() => provider.GetRequiredService<Libp2pHost>());

        Assert.StartsWith($"Key file {file} ", error.Message, StringComparison.Ordinal);
        Assert.Equal([0x08, 0x01], File.ReadAllBytes(file));
    }

    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Resilink");

    private static async Task<PeerId> PeerIdAsync(IConfiguration section)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddResilink(section);
        await using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<Libp2pHost>().PeerId;
    }
}
