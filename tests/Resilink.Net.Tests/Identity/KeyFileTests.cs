using Microsoft.Extensions.Logging;
using Resilink.Net.Identity;
using Resilink.Tests.Shared;

namespace Resilink.Net.Tests.Identity;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are Unix's
public sealed class KeyFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "resilink-keyfile-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void LoadOrCreate_NoFile_CreatesOwnerOnlyFileInNewOwnerOnlyFolderAndLoadsTheSameKeyAgain()
    {
        var path = Path.Combine(_folder, "nested", "identity.key");

        using var created = KeyFile.LoadOrCreate(path);
        using var loaded = KeyFile.LoadOrCreate(path);

        Assert.Equal(created.PeerId, loaded.PeerId);
        Assert.Equal(created.ExportProtobufPrivateKey(), File.ReadAllBytes(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(["identity.key"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName)); // no temporary file left
    }

    [Fact]
    public void Create_FileIsThePrivateKeyProtobufOfTheSpec_TypeEd25519AndSeedThenPublicKey()
    {
        var path = Path.Combine(_folder, "identity.key");

        using var key = KeyFile.Create(path);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(68, bytes.Length);
        Assert.Equal(new byte[] { 0x08, 0x01, 0x12, 0x40 }, bytes[..4]); // Type = Ed25519, Data = 64 bytes
        Assert.Equal(key.PublicKey.Raw.ToArray(), bytes[36..]);
    }

    [Fact]
    public void Load_SpecVectorFile_DerivesTheSpecPeerId()
    {
        var path = Write(KeyVectors.Hex(KeyVectors.Ed25519Private));

        using var key = KeyFile.Load(path);

        Assert.Equal(KeyVectors.Ed25519PeerId, key.PeerId.ToString());
    }

    [Fact]
    public void Create_FileExists_RefusesAndLeavesItUntouched()
    {
        var original = KeyVectors.Hex(KeyVectors.Ed25519Private);
        var path = Write(original);

        var error = Assert.Throws<KeyFileException>(() => KeyFile.Create(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("exists already", error.Message, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(path));
    }

    public static TheoryData<string, byte[], string> BadFiles => new()
    {
        { "empty", [], "is empty" },
        { "garbage", "not a key at all\n"u8.ToArray(), "is not a libp2p PrivateKey protobuf" },
        { "truncated", KeyVectors.Hex(KeyVectors.Ed25519Private)[..40], "is not a libp2p PrivateKey protobuf" },
        { "secp256k1", KeyVectors.Hex(KeyVectors.Secp256k1Private), "holds a key resilink cannot use" },
        { "huge", new byte[100_000], "far smaller" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void LoadOrCreate_BadFile_OneLineErrorNamingTheFileAndNoNewIdentity(string name, byte[] content, string expected)
    {
        var path = Write(content, name);

        var error = Assert.Throws<KeyFileException>(() => KeyFile.LoadOrCreate(path));

        Assert.StartsWith($"Key file {path} ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(content, File.ReadAllBytes(path)); // never replaced by a new key
    }

    [Fact]
    public void Load_Missing_SaysSo()
    {
        var path = Path.Combine(_folder, "absent.key");

        var error = Assert.Throws<KeyFileException>(() => KeyFile.Load(path));

        Assert.Equal($"Key file {path} does not exist.", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Load_Unreadable_SaysItCannotBeRead()
    {
        // A folder where the file should be: unreadable as a file even for root (who reads a file of mode 0000).
        var path = Path.Combine(_folder, "identity.key");
        Directory.CreateDirectory(path);

        var error = Assert.Throws<KeyFileException>(() => KeyFile.Load(path));

        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReadableByOthers_WarnsNamingTheFile_AndOwnerOnlyDoesNot()
    {
        var path = Write(KeyVectors.Hex(KeyVectors.Ed25519Private));
        var logger = new CapturingLogger<KeyFileTests>();

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (KeyFile.Load(path, logger))
        {
            Assert.Empty(logger.Entries);
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using (KeyFile.Load(path, logger))
        {
            var warning = Assert.Single(logger.Entries);
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.Contains(path, warning.Message, StringComparison.Ordinal);
            Assert.Contains("644", warning.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LoadOrCreate_EmptyPath_Refused()
    {
        var error = Assert.Throws<KeyFileException>(() => KeyFile.LoadOrCreate(" "));

        Assert.Equal("The key file path is empty.", error.Message);
    }

    private string Write(byte[] content, string name = "identity.key")
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
