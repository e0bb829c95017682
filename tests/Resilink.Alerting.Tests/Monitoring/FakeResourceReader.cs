using Resilink.Monitoring;

namespace Resilink.Alerting.Tests.Monitoring;

/// <summary>Resource use the test sets; <see cref="Failure"/> makes reading throw.</summary>
internal sealed class FakeResourceReader : IResourceReader
{
    public ResourceUsage Usage { get; set; } = new(CpuPercent: 5, WorkingSetBytes: 100 << 20, GcHeapBytes: 10 << 20);

    public Exception? Failure { get; set; }

    public int Reads { get; private set; }

    public ResourceUsage Read()
    {
        Reads++;
        return Failure is { } failure ? throw failure : Usage;
    }
}
