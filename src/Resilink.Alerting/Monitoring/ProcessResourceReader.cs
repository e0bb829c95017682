using System.Diagnostics;

namespace Resilink.Monitoring;

/// <summary>
/// Reads the current process: CPU % from the change of <see cref="Process.TotalProcessorTime"/> over the elapsed
/// <see cref="TimeProvider"/> time, divided by <see cref="Environment.ProcessorCount"/>; memory from
/// <see cref="Environment.WorkingSet"/> and <see cref="GC.GetTotalMemory(bool)"/>. Thread-safe.
/// </summary>
/// <remarks>
/// CPU is measured over at least <see cref="MinimumCpuWindow"/>: a read sooner than that after the previous
/// measurement returns the previous value, so that several services checked at once do not divide by a tiny time.
/// Before the first full window it reports 0.
/// </remarks>
internal sealed class ProcessResourceReader : IResourceReader, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Process _process = Process.GetCurrentProcess();
    private readonly TimeProvider _timeProvider;
    private long _lastTimestamp;
    private TimeSpan _lastCpu;
    private double _cpuPercent;

    /// <summary>Initializes a new instance of the <see cref="ProcessResourceReader"/> class; the first CPU window starts now.</summary>
    /// <param name="timeProvider">The clock of the CPU window; <see cref="TimeProvider.System"/> when null.</param>
    public ProcessResourceReader(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _lastTimestamp = _timeProvider.GetTimestamp();
        _lastCpu = _process.TotalProcessorTime;
    }

    /// <summary>Gets the shortest time over which CPU use is computed: 1 s.</summary>
    public static TimeSpan MinimumCpuWindow { get; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public ResourceUsage Read()
    {
        lock (_lock)
        {
            TimeSpan elapsed = _timeProvider.GetElapsedTime(_lastTimestamp);
            if (elapsed >= MinimumCpuWindow)
            {
                _process.Refresh();
                TimeSpan cpu = _process.TotalProcessorTime;
                double percent = (cpu - _lastCpu) / elapsed / Environment.ProcessorCount * 100.0;
                _cpuPercent = Math.Clamp(percent, 0.0, 100.0);
                _lastCpu = cpu;
                _lastTimestamp = _timeProvider.GetTimestamp();
            }

            return new ResourceUsage(_cpuPercent, Environment.WorkingSet, GC.GetTotalMemory(forceFullCollection: false));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _process.Dispose();
}
