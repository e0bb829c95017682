using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience.Failover;

/// <summary>A controller over endpoints "db-a" (primary) and "db-b" (secondary) on a fake clock, with every transition recorded.</summary>
internal sealed class FailoverHarness
{
    public const string A = "db-a";
    public const string B = "db-b";

    private readonly Channel<FailoverStateChangedEventArgs> _arrivals = Channel.CreateUnbounded<FailoverStateChangedEventArgs>();
    private readonly List<FailoverStateChangedEventArgs> _events = [];

    public FailoverHarness(FailoverOptions? options = null, Func<string, CancellationToken, Task>? onSwitch = null)
    {
        Controller = new FailoverController<string>(A, B, options ?? new FailoverOptions(), onSwitch, Time);
        Controller.StateChanged += (_, e) =>
        {
            lock (_events)
            {
                _events.Add(e);
            }
            _arrivals.Writer.TryWrite(e);
        };
    }

    public FakeTimeProvider Time { get; } = new();

    public FailoverController<string> Controller { get; }

    public IReadOnlyList<FailoverStateChangedEventArgs> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The transitions so far, as "From>To".</summary>
    public string[] Path => [.. Events.Select(e => $"{e.From}>{e.To}")];

    public static IOException Refused() => new("Connection refused");

    /// <summary>Enough consecutive failures (3) to fail <paramref name="endpoint"/>.</summary>
    public void Fail(string endpoint, int times = 3)
    {
        for (int i = 0; i < times; i++)
        {
            Controller.RecordFailure(endpoint, Refused());
        }
    }

    /// <summary>Waits (10 s at most, real time) until a transition to <paramref name="to"/> is raised.</summary>
    public async Task WaitForAsync(FailoverState to)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((await _arrivals.Reader.ReadAsync(timeout.Token)).To != to)
        {
        }
    }
}
