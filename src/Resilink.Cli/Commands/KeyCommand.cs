using System.CommandLine;
using Resilink.Cli.Json;
using Resilink.Hosting.History;
using Resilink.Net.Identity;

namespace Resilink.Cli.Commands;

/// <summary>
/// <c>resilink key generate|show</c>: make a node identity key file, or tell what peer ID one gives. The files are libp2p
/// <c>PrivateKey</c> protobufs, the format go-libp2p, js-libp2p and kubo read and write.
/// </summary>
internal static class KeyCommand
{
    public static Command Create() => new("key", "Create or inspect identity key files (libp2p PrivateKey protobuf, as go-libp2p, js-libp2p and kubo store them).")
    {
        CreateGenerate(),
        CreateShow(),
    };

    private static string DefaultPath => Path.Combine(HealthHistoryOptions.DefaultDataDirectory, KeyFile.DefaultFileName);

    private static Command CreateGenerate()
    {
        var output = CommonOptions.Path("--output", CommonOptions.FileHelpName, $"The key file to create (mode 0600; never written over). Default: the daemon's, {DefaultPath}.");
        output.Aliases.Add("-o");
        var command = new Command("generate", "Create a key file with a new Ed25519 identity and print its peer ID.\n\nExample:\n  resilink key generate --output node.key")
        {
            output,
        };
        command.SetAction(parse => Generate(parse.GetValue(output) ?? DefaultPath));
        return command;
    }

    private static Command CreateShow()
    {
        var file = CommonOptions.PathArgument("file", "The key file.");
        var json = CommonOptions.Json();
        var command = new Command("show", "Print the peer ID and public key of a key file.\n\nExample:\n  resilink key show node.key")
        {
            file, json,
        };
        command.SetAction(parse => Show(parse.GetRequiredValue(file), CliOutput.Of(parse, parse.GetValue(json))));
        return command;
    }

    // A file that cannot be written or read is a KeyFileException: the CLI's one error line, exit code 1.
    private static int Generate(string path)
    {
        using var key = KeyFile.Create(path);
        Console.WriteLine(key.PeerId);
        return 0;
    }

    private static int Show(string path, CliOutput output)
    {
        using var key = KeyFile.Load(path);
        var publicKey = Convert.ToBase64String(key.PublicKey.ToProtobuf());
        output.Json?.Write(new KeyLine(key.PeerId.ToString(), publicKey, key.PublicKey.Type.ToString()));
        output.Text.WriteLine($"peer id    {key.PeerId}");
        output.Text.WriteLine($"key type   {key.PublicKey.Type}");
        output.Text.WriteLine($"public key {publicKey}");
        return 0;
    }
}
