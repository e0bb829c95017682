namespace Resilink.Monitoring;

/// <summary>A sample of the process's resource use.</summary>
/// <param name="CpuPercent">CPU used since the previous sample, in percent of all processors (0..100).</param>
/// <param name="WorkingSetBytes">Physical memory mapped to the process, in bytes.</param>
/// <param name="GcHeapBytes">Bytes currently allocated on the managed heap.</param>
public readonly record struct ResourceUsage(double CpuPercent, long WorkingSetBytes, long GcHeapBytes);
