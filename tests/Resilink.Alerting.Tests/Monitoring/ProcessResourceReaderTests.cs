using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Resilink.Monitoring;

namespace Resilink.Alerting.Tests.Monitoring;

public sealed class ProcessResourceReaderTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Read_BeforeTheFirstFullWindow_ReportsNoCpuButRealMemory()
    {
        using var reader = new ProcessResourceReader(_time);
        _time.Advance(ProcessResourceReader.MinimumCpuWindow - TimeSpan.FromTicks(1));

        ResourceUsage usage = reader.Read();

        Assert.Equal(0.0, usage.CpuPercent);
        Assert.Equal(Environment.WorkingSet, usage.WorkingSetBytes, tolerance: 64L << 20);
        Assert.True(usage.GcHeapBytes > 0);
    }

    [Fact]
    public void Read_AfterBusyWorkOverTheWindow_ReportsTheCpuUsedOverTheElapsedTime()
    {
        using var reader = new ProcessResourceReader(_time);
        TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
        Spin(TimeSpan.FromMilliseconds(50));
        TimeSpan used = Process.GetCurrentProcess().TotalProcessorTime - before;
        _time.Advance(TimeSpan.FromSeconds(1));

        double cpu = reader.Read().CpuPercent;

        // At least what this thread burned, spread over all processors, over the 1 s of (fake) elapsed time.
        double floor = used.TotalSeconds / Environment.ProcessorCount * 100.0;
        Assert.InRange(cpu, floor * 0.9, 100.0);
        Assert.True(cpu > 0);
    }

    [Fact]
    public void Read_AgainWithinTheWindow_RepeatsThePreviousCpuValue()
    {
        using var reader = new ProcessResourceReader(_time);
        Spin(TimeSpan.FromMilliseconds(20));
        _time.Advance(TimeSpan.FromSeconds(1));
        double first = reader.Read().CpuPercent;
        Spin(TimeSpan.FromMilliseconds(20));
        _time.Advance(TimeSpan.FromMilliseconds(10));

        Assert.Equal(first, reader.Read().CpuPercent);
    }

    private static void Spin(TimeSpan cpu)
    {
        var watch = Stopwatch.StartNew();
        double x = 1;
        while (watch.Elapsed < cpu)
        {
            x = Math.Sqrt(x + 1);
        }

        GC.KeepAlive(x);
    }
}
