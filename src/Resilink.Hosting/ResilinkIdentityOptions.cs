namespace Resilink.Hosting;

/// <summary>Where a hosted node keeps its identity, so that its peer ID survives a restart (configuration section <c>Identity</c>).</summary>
public sealed class ResilinkIdentityOptions
{
    /// <summary>
    /// Gets or sets the node's key file (<c>Identity:KeyFile</c>): a libp2p <c>PrivateKey</c> protobuf, as go-libp2p,
    /// js-libp2p and kubo store keys, created with mode 0600 when missing. A file that cannot be used stops the start
    /// with an error naming it. Default: null, a new identity on every start (unless <c>Host.Identity</c> is set).
    /// </summary>
    public string? KeyFile { get; set; }
}
