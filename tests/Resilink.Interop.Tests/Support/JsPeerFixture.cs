namespace Resilink.Interop.Tests.Support;

/// <summary>
/// One js-libp2p peer shared by every test in the <see cref="JsPeerGroup"/> collection.
/// Tests must not stop it; use <see cref="JsPeer.StartAsync"/> directly for a private peer.
/// </summary>
public sealed class JsPeerFixture : IAsyncLifetime
{
    private JsPeer? peer;

    /// <summary>The shared peer (available after InitializeAsync).</summary>
    public JsPeer Peer => peer ?? throw new InvalidOperationException("JsPeerFixture not initialised");

    public async Task InitializeAsync() =>
        peer = await JsPeer.StartAsync(new JsPeerOptions { Name = "js-shared" });

    public async Task DisposeAsync()
    {
        if (peer is not null)
        {
            await peer.DisposeAsync();
        }
    }
}

/// <summary>xunit collection sharing one <see cref="JsPeerFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class JsPeerGroup : ICollectionFixture<JsPeerFixture>
{
    public const string Name = "js-libp2p peer";
}
