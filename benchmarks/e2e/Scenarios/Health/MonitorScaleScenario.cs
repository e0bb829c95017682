using System.Diagnostics;
using System.Globalization;
using Resilink.Health;

namespace Resilink.E2e.Scenarios.Health;

/// <summary>
/// (h3) The cost of monitoring many connections: in-process fake connections that answer every ping at once, tracked
/// by one <see cref="HealthMonitor"/> checking each every second. CPU is the process's
/// <see cref="Process.TotalProcessorTime"/> over the window minus the same over an idle window of equal length (same
/// process, fakes built, monitor not yet tracking); memory is <see cref="GC.GetTotalMemory(bool)"/> around the tracking.
/// </summary>
internal static class MonitorScaleScenario
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(int connections, TimeSpan window, CancellationToken cancellationToken)
    {
        var options = new HealthOptions { EnableHealthMonitoring = true, HealthCheckInterval = TimeSpan.FromSeconds(1) };
        Console.WriteLine(Text($"(h3) Scale: {connections} fake connections (ping answered at once), HealthCheckInterval {options.HealthCheckInterval.TotalSeconds:0} s, PingTimeout {options.PingTimeout.TotalSeconds:0} s, MaxConcurrentPings {options.MaxConcurrentPings}; {Warmup.TotalSeconds:0} s warm-up, {window.TotalSeconds:0} s window, {window.TotalSeconds:0} s idle window."));

        var fakes = new FakeConnection[connections];
        for (var i = 0; i < connections; i++)
        {
            fakes[i] = new FakeConnection("fake-" + i.ToString(CultureInfo.InvariantCulture), "peer-" + (i / 3).ToString(CultureInfo.InvariantCulture));
        }

        await using var monitor = new HealthMonitor(options);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var idle = await MeasureAsync(window, cancellationToken);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        foreach (var fake in fakes)
        {
            monitor.Track(fake);
        }

        var tracked = GC.GetTotalMemory(forceFullCollection: true);
        monitor.Start();
        await Task.Delay(Warmup, cancellationToken);

        var pingsBefore = FakeConnection.Pings;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gen0Before = GC.CollectionCount(0);
        var gen2Before = GC.CollectionCount(2);
        var busy = await MeasureAsync(window, cancellationToken);
        var pings = FakeConnection.Pings - pingsBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var gen0 = GC.CollectionCount(0) - gen0Before;
        var gen2 = GC.CollectionCount(2) - gen2Before;
        var steady = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(fakes);

        var idleShare = idle.Cpu / idle.Wall;
        var busyShare = busy.Cpu / busy.Wall;
        var monitoringShare = busyShare - idleShare;
        var checkCpu = (busy.Cpu - (idleShare * busy.Wall)) * 1e6 / Math.Max(1, pings);
        Console.WriteLine(Text($"     idle window:       {idle.Cpu * 1000,7:0} ms CPU in {idle.Wall,5:0.0} s = {idleShare,7:0.00%} of one core"));
        Console.WriteLine(Text($"     monitored window:  {busy.Cpu * 1000,7:0} ms CPU in {busy.Wall,5:0.0} s = {busyShare,7:0.00%} of one core; {pings} pings ({pings / busy.Wall:0} /s)"));
        Console.WriteLine(Text($"     allocated:         {allocated / (double)Math.Max(1, pings),7:0} B per check ({allocated / busy.Wall / 1048576:0.0} MiB/s), {gen0} gen0 / {gen2} gen2 GCs"));
        Console.WriteLine();
        Console.WriteLine(Text($"(h3) Monitoring CPU: {monitoringShare,6:0.00%} of one core ({checkCpu:0.0} us per check; target < 5 %)"));
        Console.WriteLine(Text($"     Memory per monitored connection: {(tracked - before) / (double)connections:0} B when tracked, {(steady - before) / (double)connections:0} B after {Warmup.TotalSeconds + window.TotalSeconds:0} checks"));
    }

    private static async Task<(double Cpu, double Wall)> MeasureAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        var cpuBefore = ProcessorTime();
        var wall = Stopwatch.StartNew();
        await Task.Delay(window, cancellationToken);
        var cpu = ProcessorTime() - cpuBefore;
        return (cpu.TotalSeconds, wall.Elapsed.TotalSeconds);
    }

    private static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A connection that answers every ping at once with 1 ms and counts the pings.</summary>
    private sealed class FakeConnection(string id, string peerKey) : IHealthTracked
    {
        private static readonly Task<TimeSpan> Answer = Task.FromResult(TimeSpan.FromMilliseconds(1));
        private static long s_pings;

        public static long Pings => Interlocked.Read(ref s_pings);

        public string Id { get; } = id;

        public string PeerKey { get; } = peerKey;

        public DateTimeOffset OpenedAt { get; } = DateTimeOffset.UtcNow;

        public int ActiveStreams => 0;

        public ConnectionLoadStats Stats { get; } = new();

        public long BytesReceived => 0;

        public long BytesSent => 0;

        public Task<TimeSpan> PingAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref s_pings);
            return Answer;
        }
    }
}
