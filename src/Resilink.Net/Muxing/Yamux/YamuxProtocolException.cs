namespace Resilink.Net.Muxing.Yamux;

/// <summary>
/// A violation of the Yamux protocol by the remote peer. Surfaces as the session's <see cref="YamuxSession.CloseReason"/>
/// after we answered with GoAway(ProtocolError). Public callers see it as a <see cref="YamuxException"/>.
/// </summary>
internal sealed class YamuxProtocolException : YamuxException
{
    public YamuxProtocolException()
        : base("Yamux protocol error.")
    {
    }

    public YamuxProtocolException(string message)
        : base("Yamux protocol error: " + message)
    {
    }

    public YamuxProtocolException(string message, Exception? innerException)
        : base("Yamux protocol error: " + message, innerException)
    {
    }
}
