using System.Diagnostics;
using Resilink.Health;
using Resilink.Monitoring;
using Resilink.Telemetry.Internal;

namespace Resilink.Telemetry;

// Reports about one connection: attempts, state, round trips, bytes, streams, errors, health.
// Each method catches everything: a monitor must never break the operation it observes (IConnectionMonitor).
public sealed partial class MetricsConnectionMonitor
{
    /// <inheritdoc />
    public void OnConnectionAttempt(in ConnectionAttemptEvent e)
    {
        try
        {
            var tags = new TagList
            {
                { ResilinkTagNames.Outcome, TagValues.Of(e.Outcome) },
                { ResilinkTagNames.Direction, e.Inbound ? TagValues.Inbound : TagValues.Outbound },
            };
            AddPeerTag(ref tags, e.PeerKey);
            _instruments.ConnectionAttempts.Add(1, tags);
        }
        catch (Exception)
        {
        }
    }

    /// <inheritdoc />
    public void OnConnectionStateChanged(in ConnectionStateEvent e)
    {
        try
        {
            _instruments.ConnectionStateTransitions.Add(1, Tag(ResilinkTagNames.From, TagValues.Of(e.From)), Tag(ResilinkTagNames.To, TagValues.Of(e.To)));
            if (e.From == e.To)
            {
                return;
            }

            if (IsActive(e.From))
            {
                _instruments.ConnectionsActive.Add(-1, Tag(ResilinkTagNames.State, TagValues.Of(e.From)));
            }
            if (IsActive(e.To))
            {
                _instruments.ConnectionsActive.Add(1, Tag(ResilinkTagNames.State, TagValues.Of(e.To)));
            }

            if (e.ConnectionId is { } id)
            {
                if (e.To == ConnectionState.Connected)
                {
                    _connectedSince.Set(id, _timeProvider.GetTimestamp(), out _, out _);
                }
                else if (e.From == ConnectionState.Connected && _connectedSince.TryRemove(id, out long since))
                {
                    _instruments.ConnectionDuration.Record(_timeProvider.GetElapsedTime(since).TotalSeconds);
                }
            }
        }
        catch (Exception)
        {
        }
    }

    /// <inheritdoc />
    public void OnRttSample(in RttSampleEvent e)
    {
        try
        {
            if (e.Rtt >= TimeSpan.Zero)
            {
                _instruments.ConnectionRtt.Record(e.Rtt.TotalSeconds);
            }
        }
        catch (Exception)
        {
        }
    }

    /// <inheritdoc />
    public void OnBytesTransferred(in BytesTransferredEvent e)
    {
        try
        {
            if (e.BytesIn > 0)
            {
                var tags = new TagList { { ResilinkTagNames.Direction, TagValues.In } };
                AddPeerTag(ref tags, e.PeerKey);
                _instruments.ConnectionBytes.Add(e.BytesIn, tags);
            }
            if (e.BytesOut > 0)
            {
                var tags = new TagList { { ResilinkTagNames.Direction, TagValues.Out } };
                AddPeerTag(ref tags, e.PeerKey);
                _instruments.ConnectionBytes.Add(e.BytesOut, tags);
            }
        }
        catch (Exception)
        {
        }
    }

    /// <inheritdoc />
    public void OnStream(in StreamEvent e)
    {
        try
        {
            var tags = new TagList { { ResilinkTagNames.Outcome, TagValues.Of(e.Outcome) } };
            AddPeerTag(ref tags, e.PeerKey);
            _instruments.Streams.Add(1, tags);
        }
        catch (Exception)
        {
        }
    }

    /// <inheritdoc />
    public void OnError(in ConnectionErrorEvent e)
    {
        try
        {
            var tags = new TagList { { ResilinkTagNames.ErrorType, _errorTypes.Get(e.ErrorType) } };
            AddPeerTag(ref tags, e.PeerKey);
            _instruments.ConnectionErrors.Add(1, tags);
        }
        catch (Exception)
        {
        }
    }

    /// <inheritdoc />
    public void OnHealthStatusChanged(in HealthStatusEvent e)
    {
        try
        {
            if (e.From != e.To)
            {
                _instruments.ConnectionHealthTransitions.Add(1, Tag(ResilinkTagNames.To, TagValues.Of(e.To)));
            }
        }
        catch (Exception)
        {
        }
    }

    private static bool IsActive(ConnectionState state) =>
        state is ConnectionState.Connecting or ConnectionState.Connected or ConnectionState.Disconnecting;
}
