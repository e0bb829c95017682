using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Logging;
using Resilink.Net.Identity;

namespace Resilink.Cli.Commands;

/// <summary>
/// <c>--identity FILE</c>, shared by the commands that run a node: the node's key file, created on first use, so its
/// peer ID (and every <c>/p2p/&lt;id&gt;</c> address of it) survives a restart.
/// </summary>
internal static class IdentityOption
{
    public static Option<string?> Create(string? defaultDescription = null)
    {
        var option = new Option<string?>("--identity")
        {
            Description = "Key file of this node's identity (libp2p PrivateKey protobuf), created with mode 0600 if missing. " +
                (defaultDescription ?? "Default: a new identity each run."),
            HelpName = "FILE",
        };
        option.Validators.Add(result => RequireFileName(result, "--identity"));
        return option;
    }

    /// <summary>Refuses an empty or blank file name given to <paramref name="name"/> (an absent optional value passes).</summary>
    public static void RequireFileName(OptionResult result, string name)
    {
        if (result.Tokens.Count > 0 && string.IsNullOrWhiteSpace(result.GetValueOrDefault<string?>()))
        {
            result.AddError($"{name} must name a file.");
        }
    }

    /// <summary>
    /// Loads the key of <paramref name="path"/>, creating the file when missing; no key (a fresh identity) for a null
    /// path. A file that cannot be used is one line on stderr and false (the command exits 1), never a new identity.
    /// </summary>
    public static bool TryLoad(string? path, string command, ILoggerFactory logging, out KeyPair? identity)
    {
        identity = null;
        if (path is null)
        {
            return true;
        }
        try
        {
            identity = KeyFile.LoadOrCreate(path, logging.CreateLogger("Resilink.Identity"));
            return true;
        }
        catch (KeyFileException ex)
        {
            Console.Error.WriteLine($"resilink {command}: {ex.Message}");
            return false;
        }
    }
}
