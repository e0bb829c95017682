using Resilink.Net.Swarm;

namespace Resilink.Net.Host;

/// <summary>
/// Serves one inbound stream of a registered protocol. The host disposes the stream when the returned task
/// completes, and resets it if the task faults. <paramref name="cancellationToken"/> fires when the host shuts down.
/// </summary>
public delegate Task StreamHandler(Libp2pStream stream, CancellationToken cancellationToken);
