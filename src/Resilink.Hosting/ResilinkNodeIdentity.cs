using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilink.Net.Host;
using Resilink.Net.Identity;

namespace Resilink.Hosting;

/// <summary>Gives the hosted node the identity of <see cref="ResilinkIdentityOptions.KeyFile"/>.</summary>
internal static class ResilinkNodeIdentity
{
    /// <summary>
    /// The node's host settings, with <see cref="Libp2pHostOptions.Identity"/> loaded from the key file (created when
    /// missing) when one is configured. The key lives as long as the options that hold it, the application's.
    /// </summary>
    /// <exception cref="KeyFileException">The key file cannot be used.</exception>
    public static Libp2pHostOptions HostOptions(IServiceProvider services)
    {
        var node = services.GetRequiredService<IOptions<ResilinkNodeOptions>>().Value;
        if (node.Identity.KeyFile is { } keyFile && node.Host.Identity is null)
        {
            node.Host.Identity = KeyFile.LoadOrCreate(keyFile, services.GetRequiredService<ILoggerFactory>().CreateLogger("Resilink.Identity"));
        }
        return node.Host;
    }
}
