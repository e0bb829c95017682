using System.Reflection;

namespace Resilink.Net.Host;

/// <summary>Defaults shared by the host and the CLI.</summary>
public static class Libp2pHostConstants
{
    /// <summary><c>resilink/&lt;informational version&gt;</c>.</summary>
    public static readonly string DefaultAgentVersion =
        "resilink/" + (typeof(Libp2pHostConstants).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");
}
