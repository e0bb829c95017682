using Resilink.Net.Swarm;

namespace Resilink.Net.Host;

/// <summary>A connection opened or closed.</summary>
public sealed class Libp2pConnectionEventArgs(Libp2pConnection connection) : EventArgs
{
    /// <summary>The connection.</summary>
    public Libp2pConnection Connection { get; } = connection;
}
