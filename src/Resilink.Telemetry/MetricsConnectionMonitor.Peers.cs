using Resilink.Monitoring;
using Resilink.Telemetry.Internal;

namespace Resilink.Telemetry;

// Reports beyond one connection: circuit breakers, peers, messages, buffers, pools.
// Each method catches everything: a monitor must never break the operation it observes (IConnectionMonitor).
public sealed partial class MetricsConnectionMonitor
{
    /// <inheritdoc />
    /// <remarks>
    /// A breaker is counted from its first reported change, in the state it changed to; later changes move it from the
    /// state last seen for it (not <see cref="CircuitBreakerEvent.From"/>), so a missed report cannot skew the counts.
    /// Every move into <see cref="CircuitState.Open"/> is also a trip (<see cref="ResilinkMetricNames.CircuitBreakerTrips"/>).
    /// </remarks>
    public void OnCircuitBreakerStateChanged(in CircuitBreakerEvent e)
    {
        try
        {
            bool known = _breakers.Set(e.PeerKey ?? "", e.To, out CircuitState previous, out KeyValuePair<string, CircuitState>? evicted);
            if (known && previous == e.To)
            {
                return;
            }
            if (known)
            {
                _instruments.CircuitBreakerState.Add(-1, Tag(ResilinkTagNames.State, TagValues.Of(previous)));
            }
            if (evicted is { } forgotten)
            {
                _instruments.CircuitBreakerState.Add(-1, Tag(ResilinkTagNames.State, TagValues.Of(forgotten.Value)));
            }
            _instruments.CircuitBreakerState.Add(1, Tag(ResilinkTagNames.State, TagValues.Of(e.To)));
            if (e.To == CircuitState.Open)
            {
                _instruments.CircuitBreakerTrips.Add(1);
            }
        }
        catch (Exception)
        {
        }
    }

    /// <inheritdoc />
    public void OnPeer(in PeerEvent e)
    {
        try
        {
            switch (e.Change)
            {
                case PeerChange.Discovered:
                    _instruments.PeersDiscovered.Add(1, Tag(ResilinkTagNames.Source, _discoverySources.Get(e.Source)));
                    break;
                case PeerChange.Connected:
                    _instruments.PeersConnected.Add(1);
                    break;
                case PeerChange.Lost:
                    _instruments.PeersConnected.Add(-1);
                    _instruments.PeersLost.Add(1);
                    break;
                default:
                    break;
            }
        }
        catch (Exception)
        {
        }
    }

    /// <inheritdoc />
    public void OnMessage(in MessageEvent e)
    {
        try
        {
            var type = Tag(ResilinkTagNames.MessageType, _messageTypes.Get(e.MessageType));
            _instruments.Messages.Add(1, type, Tag(ResilinkTagNames.Direction, e.Outbound ? TagValues.Out : TagValues.In));
            if (e.SizeBytes >= 0)
            {
                _instruments.MessageSize.Record(e.SizeBytes, type);
            }
            if (e.Latency is { } latency && latency >= TimeSpan.Zero)
            {
                _instruments.MessageLatency.Record(latency.TotalSeconds, type);
            }
        }
        catch (Exception)
        {
        }
    }

    /// <inheritdoc />
    public void OnBufferedMessages(in BufferedMessagesEvent e)
    {
        try
        {
            if (e.Delta != 0)
            {
                _instruments.MessagesBuffered.Add(e.Delta);
            }
        }
        catch (Exception)
        {
        }
    }

    /// <inheritdoc />
    public void OnPoolUtilization(in PoolUtilizationEvent e)
    {
        try
        {
            var pool = Tag(ResilinkTagNames.Pool, _pools.Get(e.PoolName));
            if (e.Capacity > 0)
            {
                double ratio = Math.Clamp((double)e.InUse / e.Capacity, 0, 1);
                _instruments.PoolUtilization.Record(ratio, pool);
            }
            _instruments.PoolWaiters.Record(Math.Max(0, e.Waiters), pool); // waiters matter most when nothing is open
        }
        catch (Exception)
        {
        }
    }
}
