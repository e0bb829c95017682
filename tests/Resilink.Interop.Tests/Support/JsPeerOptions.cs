namespace Resilink.Interop.Tests.Support;

/// <summary>Start-up options for <see cref="JsPeer"/>.</summary>
public sealed class JsPeerOptions
{
    /// <summary>TCP port to listen on (0 = ephemeral).</summary>
    public int Port { get; init; }

    /// <summary>Hex-encoded libp2p protobuf private key for a fixed identity; null = random.</summary>
    public string? PrivateKeyHex { get; init; }

    /// <summary>
    /// js-libp2p's connection monitor pings every connection on /ipfs/ping/1.0.0 every 10 s and
    /// aborts the connection if that fails. On by default (that is what real js peers do).
    /// </summary>
    public bool ConnectionMonitor { get; init; } = true;

    /// <summary>
    /// @libp2p/ping's handler timeout: js resets every inbound ping stream this long after it opened, busy or not.
    /// Null = js-libp2p's default (10 s).
    /// </summary>
    public TimeSpan? PingHandlerTimeout { get; init; }

    /// <summary>How long to wait for the peer's "ready" line.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Extra environment variables for the node process (e.g. DEBUG=libp2p:*).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Optional sink for each stderr line (e.g. ITestOutputHelper.WriteLine).</summary>
    public Action<string>? StderrLine { get; init; }

    /// <summary>Name used in diagnostics.</summary>
    public string Name { get; init; } = "js";
}
