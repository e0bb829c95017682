using Resilink.Alerting;

namespace Resilink.Hosting.History;

/// <summary>Stores every alert the <see cref="AlertManager"/> sends, raised and resolved, in the health history.</summary>
internal sealed class HistoryAlertSink(SqliteHealthHistory history) : IAlertSink
{
    public string Name => "history";

    public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        history.TryAdd(new AlertRecord(
            alert.ResolvedAt ?? alert.LastSeen, alert.Id, alert.Rule.Name, alert.Level, alert.Service, alert.Message, alert.IsResolved));
        return ValueTask.CompletedTask; // a full queue drops and counts; the sink never holds the manager up
    }
}
