namespace Resilink.Alerting;

/// <summary>Counters of an <see cref="AlertManager"/> since it was created.</summary>
/// <param name="Raised">Raises of any alert, folded ones included.</param>
/// <param name="Folded">Raises folded into an active alert within its cooldown (not sent again).</param>
/// <param name="Resolved">Alerts resolved.</param>
/// <param name="DroppedAlerts">Alerts lost because the active table was full (new ones refused or old ones displaced).</param>
/// <param name="Queued">Alert deliveries queued for the sinks (one per sink).</param>
/// <param name="Delivered">Deliveries a sink completed.</param>
/// <param name="Failed">Deliveries a sink failed (threw or gave up).</param>
/// <param name="DroppedDeliveries">Deliveries dropped because a sink's queue was full, or cancelled at shutdown.</param>
/// <param name="DroppedHistory">Resolved alerts pushed out of the history by <see cref="AlertManagerOptions.MaxHistory"/>.</param>
public readonly record struct AlertManagerStatistics(
    long Raised,
    long Folded,
    long Resolved,
    long DroppedAlerts,
    long Queued,
    long Delivered,
    long Failed,
    long DroppedDeliveries,
    long DroppedHistory);
