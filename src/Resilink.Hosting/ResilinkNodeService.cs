using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Net.Identity;

namespace Resilink.Hosting;

/// <summary>Starts the <see cref="Libp2pHost"/> with the application, keeps the configured peers connected, and stops it with the application.</summary>
internal sealed partial class ResilinkNodeService(
    Libp2pHost host, IOptions<ResilinkNodeOptions> options, ILogger<ResilinkNodeService> logger, TimeProvider timeProvider)
    : BackgroundService
{
    private readonly ResilinkNodeOptions _options = options.Value;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var addresses = _options.ListenAddresses.Select(Multiaddr.Parse).ToList();
        await host.StartAsync(addresses, cancellationToken).ConfigureAwait(false);
        foreach (var address in host.ListenAddresses)
        {
            LogListening(address.Encapsulate("/p2p/" + host.PeerId));
        }
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await host.DisposeAsync().ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var peers = _options.Peers.Select(Multiaddr.Parse).ToList();
        if (peers.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.PeerRetryInterval, timeProvider);
        do
        {
            foreach (var peer in peers)
            {
                await KeepConnectedAsync(peer, stoppingToken).ConfigureAwait(false);
            }
        }
        while (await WaitForNextRoundAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitForNextRoundAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task KeepConnectedAsync(Multiaddr address, CancellationToken stoppingToken)
    {
        var peer = PeerId.FromBytes(address.PeerIdBytes!.Value.Span);
        if (host.GetConnections(peer).Count >= Math.Max(1, _options.Host.Connections.MinConnectionsPerPeer) && host.HasHealthyConnection(peer))
        {
            return;
        }

        try
        {
            var connections = await host.DialPeerAsync(address, stoppingToken).ConfigureAwait(false);
            LogPeerConnected(address, connections.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogPeerUnreachable(address, _options.PeerRetryInterval.TotalSeconds, ex.Message); // each retry was logged as it failed
            LogPeerUnreachableDetail(ex, address);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Listening on {Address}")]
    private partial void LogListening(Multiaddr address);

    [LoggerMessage(2, LogLevel.Information, "Connected to {Address} with {Count} connections")]
    private partial void LogPeerConnected(Multiaddr address, int count);

    [LoggerMessage(3, LogLevel.Warning, "Could not reach {Address}; trying again in {Seconds} s: {Error}")]
    private partial void LogPeerUnreachable(Multiaddr address, double seconds, string error);

    [LoggerMessage(4, LogLevel.Debug, "Reaching {Address} failed with")]
    private partial void LogPeerUnreachableDetail(Exception exception, Multiaddr address);
}
