namespace Resilink.Monitoring;

/// <summary>
/// Reads the process's resource use for <see cref="ServiceHealthMonitor"/>. The default reads the current process
/// (CPU % from <see cref="System.Diagnostics.Process.TotalProcessorTime"/> deltas, working set and GC heap); tests give a fake.
/// </summary>
public interface IResourceReader
{
    /// <summary>Samples resource use now. Must be fast and thread-safe.</summary>
    /// <returns>The sample.</returns>
    ResourceUsage Read();
}
