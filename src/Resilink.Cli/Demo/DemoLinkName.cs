namespace Resilink.Cli.Demo;

/// <summary>
/// Names the demo's initial connections: pair (i, j) with i &lt; j in lexicographic order, then the connection slot,
/// so link <c>n</c> is <c>h{i}-h{j}#{slot}</c>. Host i dials host j, so the name also says who dialed.
/// </summary>
internal static class DemoLinkName
{
    /// <summary>The pair of hosts of link <paramref name="link"/> among <paramref name="peers"/> hosts.</summary>
    public static (int Dialer, int Listener, int Slot) Decompose(int link, int peers)
    {
        var pair = link / FaultSchedule.ConnectionsPerPair;
        var slot = link % FaultSchedule.ConnectionsPerPair;
        for (var i = 0; i < peers; i++)
        {
            var pairsFromI = peers - i - 1;
            if (pair < pairsFromI)
            {
                return (i, i + 1 + pair, slot);
            }
            pair -= pairsFromI;
        }
        throw new ArgumentOutOfRangeException(nameof(link), link, $"There are only {peers * (peers - 1) / 2 * FaultSchedule.ConnectionsPerPair} links among {peers} hosts.");
    }

    /// <summary>The index of the pair (<paramref name="dialer"/>, <paramref name="listener"/>), dialer first.</summary>
    public static int PairIndex(int dialer, int listener, int peers)
    {
        var index = 0;
        for (var i = 0; i < dialer; i++)
        {
            index += peers - i - 1;
        }
        return index + (listener - dialer - 1);
    }

    /// <summary>e.g. <c>h0-h3#1</c>.</summary>
    public static string Of(int link, int peers)
    {
        var (dialer, listener, slot) = Decompose(link, peers);
        return $"h{dialer}-h{listener}#{slot}";
    }
}
