using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Resilink.Telemetry.Tests.Support;

namespace Resilink.Telemetry.Tests;

public sealed class ResilinkInstrumentsTests
{
    [Fact]
    public void Constructor_WithoutFactory_CreatesResilinkMeterWithAssemblyVersion()
    {
        using var instruments = new ResilinkInstruments();

        Assert.Equal("Resilink", instruments.Meter.Name);
        Assert.Equal("0.1.0", instruments.Meter.Version);
        Assert.Null(instruments.Meter.Scope);
    }

    [Fact]
    public void Constructor_Always_PublishesExactlyTheTableInstruments()
    {
        var published = new List<Instrument>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) => published.Add(instrument);
        listener.Start();

        using var instruments = new ResilinkInstruments();

        var ours = published.Where(i => ReferenceEquals(i.Meter, instruments.Meter))
            .Select(i => (i.Name, Kind: i.GetType().Name, Unit: i.Unit ?? ""))
            .OrderBy(i => i.Name, StringComparer.Ordinal);
        var expected = ExpectedInstruments.All
            .Select(r => (r.Name, r.Kind, r.Unit))
            .OrderBy(i => i.Name, StringComparer.Ordinal);
        Assert.Equal(expected, ours);
        Assert.All(published.Where(i => ReferenceEquals(i.Meter, instruments.Meter)), i => Assert.False(string.IsNullOrEmpty(i.Description)));
    }

    [Fact]
    public void Constructor_Always_AdvisesBucketsInBaseUnits()
    {
        using var instruments = new ResilinkInstruments();

        IReadOnlyList<double>? rtt = instruments.ConnectionRtt.Advice?.HistogramBucketBoundaries;
        Assert.NotNull(rtt);
        Assert.Equal(0.0005, rtt[0]);
        Assert.Equal(10, rtt[^1]);
        Assert.Equal(rtt, instruments.MessageLatency.Advice?.HistogramBucketBoundaries);
        Assert.Equal(86400, instruments.ConnectionDuration.Advice?.HistogramBucketBoundaries?[^1]);
        Assert.Equal(16L * 1024 * 1024, instruments.MessageSize.Advice?.HistogramBucketBoundaries?[^1]);
    }

    [Fact]
    public void Dispose_OwnMeter_DisposesIt()
    {
        var instruments = new ResilinkInstruments();
        using var watcher = new MeterDisposalWatcher(instruments.Meter);

        instruments.Dispose();

        Assert.True(watcher.Completed);
    }

    [Fact]
    public void Constructor_WithFactory_CreatesMeterThroughItAndLeavesDisposalToIt()
    {
        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();

        var instruments = new ResilinkInstruments(factory);
        using var watcher = new MeterDisposalWatcher(instruments.Meter);
        instruments.Dispose();

        Assert.Same(factory, instruments.Meter.Scope);
        Assert.Equal("Resilink", instruments.Meter.Name);
        Assert.Equal(ResilinkInstruments.MeterVersion, instruments.Meter.Version);
        Assert.False(watcher.Completed);
        services.Dispose();
        Assert.True(watcher.Completed);
    }

    /// <summary>Notices when a meter is disposed (its instruments' measurements complete).</summary>
    private sealed class MeterDisposalWatcher : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _completed;

        public MeterDisposalWatcher(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.MeasurementsCompleted = (_, _) => Interlocked.Increment(ref _completed);
            _listener.Start();
        }

        public bool Completed => Volatile.Read(ref _completed) > 0;

        public void Dispose() => _listener.Dispose();
    }
}
