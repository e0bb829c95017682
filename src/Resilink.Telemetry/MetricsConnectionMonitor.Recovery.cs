using Resilink.Monitoring;
using Resilink.Telemetry.Internal;

namespace Resilink.Telemetry;

// Reports of recovery: re-dials and their outcomes, replacements of sick connections, failovers and failbacks.
// Each method catches everything: a monitor must never break the operation it observes (IConnectionMonitor).
public sealed partial class MetricsConnectionMonitor
{
    /// <inheritdoc />
    /// <remarks>
    /// Each attempt counts once in <see cref="ResilinkMetricNames.ReconnectAttempts"/>; a reconnection ends once in
    /// <see cref="ResilinkMetricNames.Reconnections"/>, with its successful attempt or its give-up.
    /// </remarks>
    public void OnReconnect(in ReconnectEvent e)
    {
        try
        {
            var outcome = Tag(ResilinkTagNames.Outcome, TagValues.Of(e.Outcome));
            if (e.Outcome != ReconnectOutcome.GaveUp)
            {
                _instruments.ReconnectAttempts.Add(1, outcome);
            }
            if (e.Outcome != ReconnectOutcome.Failure)
            {
                _instruments.Reconnections.Add(1, outcome);
            }
        }
        catch (Exception)
        {
        }
    }

    /// <inheritdoc />
    public void OnConnectionReplacement(in ConnectionReplacementEvent e)
    {
        try
        {
            _instruments.ConnectionReplacements.Add(1, Tag(ResilinkTagNames.Reason, TagValues.Of(e.Reason)));
        }
        catch (Exception)
        {
        }
    }

    /// <inheritdoc />
    public void OnFailoverStateChanged(in FailoverEvent e)
    {
        try
        {
            _instruments.FailoverTransitions.Add(1, Tag(ResilinkTagNames.From, TagValues.Of(e.From)), Tag(ResilinkTagNames.To, TagValues.Of(e.To)));
        }
        catch (Exception)
        {
        }
    }
}
