using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilink.Alerting;
using Resilink.Health;
using Resilink.Net.Host;

namespace Resilink.Hosting.History;

/// <summary>
/// Feeds the health history of a node: every <see cref="HealthHistoryOptions.SampleInterval"/> one sample of each
/// connection (from <see cref="Libp2pHost.GetNetworkHealthSummary"/>), every <see cref="Libp2pHost.HealthStatusChanged"/>,
/// and every alert of the node's <see cref="AlertManager"/>, raised and resolved. It only queues records
/// (<see cref="SqliteHealthHistory"/> writes them in the background), so it never slows the node down.
/// </summary>
public sealed partial class HealthHistoryRecorder : BackgroundService
{
    private readonly Libp2pHost _host;
    private readonly SqliteHealthHistory _history;
    private readonly AlertManager _alerts;
    private readonly HealthHistoryOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="HealthHistoryRecorder"/> class.</summary>
    /// <param name="host">The node whose connections are sampled and whose status changes are stored.</param>
    /// <param name="history">Where the records go.</param>
    /// <param name="alerts">The node's alert manager; a sink added to it stores its alerts.</param>
    /// <param name="options">The history's settings (<see cref="HealthHistoryOptions.SampleInterval"/>).</param>
    /// <param name="timeProvider">The clock of the sampling interval.</param>
    /// <param name="logger">Where a failed sample is logged.</param>
    public HealthHistoryRecorder(
        Libp2pHost host,
        SqliteHealthHistory history,
        AlertManager alerts,
        IOptions<HealthHistoryOptions> options,
        TimeProvider timeProvider,
        ILogger<HealthHistoryRecorder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _host = host ?? throw new ArgumentNullException(nameof(host));
        _history = history ?? throw new ArgumentNullException(nameof(history));
        _alerts = alerts ?? throw new ArgumentNullException(nameof(alerts));
        _options = options.Value;
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _host.HealthStatusChanged += OnHealthStatusChanged;
        _alerts.AddSink(new HistoryAlertSink(_history));
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _host.HealthStatusChanged -= OnHealthStatusChanged;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues one sample of every connection now.</summary>
    internal void SampleNow()
    {
        var summary = _host.GetNetworkHealthSummary();
        foreach (var peer in summary.Peers)
        {
            foreach (var c in peer.Connections)
            {
                _history.TryAdd(new HealthSampleRecord(
                    summary.Timestamp, c.PeerKey, c.ConnectionId, c.Status, c.Score, c.Rtt.P50.TotalMilliseconds, c.Rtt.P95.TotalMilliseconds,
                    c.ActiveStreams, c.Bandwidth.CurrentIn + c.Bandwidth.CurrentOut, _history.RunId));
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.SampleInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    SampleNow();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSampleFailed(_logger, ex); // a bad sample must not end the sampling
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void OnHealthStatusChanged(object? sender, HealthStatusChangedEventArgs e) =>
        _history.TryAdd(new StatusChangeRecord(e.Timestamp, e.PeerKey, e.ConnectionId, e.Previous, e.Current, e.Score, e.Reason, _history.RunId));

    [LoggerMessage(20, LogLevel.Warning, "Health history: sampling the connections failed; the next interval tries again")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
