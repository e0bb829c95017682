using Resilink.Net.Chaos;
using Resilink.Net.Swarm;

namespace Resilink.Cli.Demo;

/// <summary>
/// One connection of the demo swarm, seen from both ends and from the proxy in between: host <see cref="Dialer"/> dialed
/// host <see cref="Listener"/> through the listener's proxy. Keeps when faults were on, so a request on it can be told
/// apart from one on a healthy connection.
/// </summary>
internal sealed class DemoLink(string name, int dialer, int listener, ProxiedConnection proxied, Libp2pConnection dialerSide, bool replacement)
{
    private readonly Lock _gate = new();
    private readonly List<(TimeSpan From, TimeSpan? To)> _faultWindows = [];
    private int _up;

    /// <summary>e.g. <c>h0-h3#1</c> for an initial connection, <c>h0-h3+2</c> for the second replacement on that pair.</summary>
    public string Name { get; set; } = name;

    /// <summary>Index of the host that dialed.</summary>
    public int Dialer { get; } = dialer;

    /// <summary>Index of the host that accepted (through its proxy).</summary>
    public int Listener { get; } = listener;

    /// <summary>The proxy's side, where faults are set.</summary>
    public ProxiedConnection Proxied { get; } = proxied;

    /// <summary>The dialer's connection (whose health the table shows).</summary>
    public Libp2pConnection DialerSide { get; } = dialerSide;

    /// <summary>True when the connection was opened after the start: a replacement of a sick one.</summary>
    public bool IsReplacement { get; } = replacement;

    /// <summary>The fault currently on it, for the table (<c>+200ms</c>, <c>blackhole</c>, <c>reset</c>), or null.</summary>
    public string? Fault { get; private set; }

    /// <summary>When the dialer saw it close, or null while open.</summary>
    public TimeSpan? ClosedAt { get; private set; }

    /// <summary>Marks a fault as on from <paramref name="at"/> (until <see cref="EndFault"/>, or for good).</summary>
    public void BeginFault(string fault, TimeSpan at)
    {
        lock (_gate)
        {
            Fault = fault;
            _faultWindows.Add((at, null));
        }
    }

    /// <summary>Marks the open fault as over at <paramref name="at"/>.</summary>
    public void EndFault(TimeSpan at)
    {
        lock (_gate)
        {
            Fault = null;
            if (_faultWindows.Count > 0 && _faultWindows[^1].To is null)
            {
                _faultWindows[^1] = (_faultWindows[^1].From, at);
            }
        }
    }

    /// <summary>True the first time only: the connection passed a health check (a replacement is counted then, once).</summary>
    public bool TryMarkUp() => Interlocked.Exchange(ref _up, 1) == 0;

    /// <summary>Records the close seen by the dialer (the first one counts).</summary>
    public void MarkClosed(TimeSpan at)
    {
        lock (_gate)
        {
            ClosedAt ??= at;
        }
    }

    /// <summary>Whether a fault was on at any time between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public bool WasFaultedDuring(TimeSpan from, TimeSpan to)
    {
        lock (_gate)
        {
            return _faultWindows.Exists(w => w.From <= to && (w.To ?? TimeSpan.MaxValue) >= from);
        }
    }
}
