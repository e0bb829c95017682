using System.CommandLine;
using Microsoft.Extensions.Logging;
using Resilink.Net.Identity;

namespace Resilink.Cli.Commands;

/// <summary>
/// <c>--identity FILE</c>, shared by the commands that run a node: the node's key file, created on first use, so its
/// peer ID (and every <c>/p2p/&lt;id&gt;</c> address of it) survives a restart.
/// </summary>
internal static class IdentityOption
{
    public static Option<string?> Create(string? defaultDescription = null) =>
        CommonOptions.Path(
            "--identity",
            CommonOptions.FileHelpName,
            "Key file of this node's identity (libp2p PrivateKey protobuf), created with mode 0600 if missing. " +
            (defaultDescription ?? "Default: a new identity each run."));

    /// <summary>
    /// Loads the key of <paramref name="path"/>, creating the file when missing; no key (a fresh identity) for a null
    /// path. A file that cannot be used throws <see cref="KeyFileException"/>, which the CLI reports as one line with
    /// exit code 1: never a silent new identity.
    /// </summary>
    public static KeyPair? Load(string? path, ILoggerFactory logging) =>
        path is null ? null : KeyFile.LoadOrCreate(path, logging.CreateLogger("Resilink.Identity"));
}
