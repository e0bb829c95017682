using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Resilink.Monitoring;

namespace Resilink.Telemetry.Tests.DependencyInjection;

public sealed class ResilinkTelemetryServiceCollectionExtensionsTests
{
    [Fact]
    public void AddResilinkTelemetry_Always_RegistersMetricsMonitorAsConnectionMonitor()
    {
        using ServiceProvider services = new ServiceCollection().AddResilinkTelemetry().BuildServiceProvider();

        var monitor = services.GetRequiredService<IConnectionMonitor>();

        Assert.Same(services.GetRequiredService<MetricsConnectionMonitor>(), monitor);
    }

    [Fact]
    public void AddResilinkTelemetry_Always_CreatesMeterThroughTheMeterFactory()
    {
        using ServiceProvider services = new ServiceCollection().AddResilinkTelemetry().BuildServiceProvider();

        var instruments = services.GetRequiredService<ResilinkInstruments>();

        Assert.Same(services.GetRequiredService<IMeterFactory>(), instruments.Meter.Scope);
        Assert.Equal("Resilink", instruments.Meter.Name);
    }

    [Fact]
    public void AddResilinkTelemetry_CalledTwice_RegistersOneConnectionMonitor()
    {
        using ServiceProvider services = new ServiceCollection().AddResilinkTelemetry().AddResilinkTelemetry().BuildServiceProvider();

        Assert.Single(services.GetServices<IConnectionMonitor>());
    }

    [Fact]
    public void AddResilinkTelemetry_AnotherMonitorRegistered_KeepsBoth()
    {
        var recording = new RecordingConnectionMonitor();
        using ServiceProvider services = new ServiceCollection()
            .AddSingleton<IConnectionMonitor>(recording)
            .AddResilinkTelemetry()
            .BuildServiceProvider();

        var monitors = services.GetServices<IConnectionMonitor>().ToList();

        Assert.Equal(2, monitors.Count);
        Assert.Contains(recording, monitors);
        Assert.Contains(monitors, m => m is MetricsConnectionMonitor);
    }

    [Fact]
    public void AddResilinkTelemetry_WithConfigure_AppliesOptions()
    {
        using ServiceProvider services = new ServiceCollection()
            .AddResilinkTelemetry(o => o.PerPeerMetrics = true)
            .BuildServiceProvider();
        var instruments = services.GetRequiredService<ResilinkInstruments>();
        using var streams = new MetricCollector<long>(instruments.Streams);

        services.GetRequiredService<IConnectionMonitor>().OnStream(new("c", "peer-1", StreamOutcome.Opened, null));

        Assert.Equal("peer-1", Assert.Single(streams.GetMeasurementSnapshot()).Tags["peer"]);
    }

    [Fact]
    public void AddResilinkTelemetry_TimeProviderRegistered_MeasuresDurationsWithIt()
    {
        var time = new FakeTimeProvider();
        using ServiceProvider services = new ServiceCollection()
            .AddSingleton<TimeProvider>(time)
            .AddResilinkTelemetry()
            .BuildServiceProvider();
        var instruments = services.GetRequiredService<ResilinkInstruments>();
        using var duration = new MetricCollector<double>(instruments.ConnectionDuration);
        var monitor = services.GetRequiredService<IConnectionMonitor>();

        monitor.OnConnectionStateChanged(new("c", "p", ConnectionState.Connecting, ConnectionState.Connected, null));
        time.Advance(TimeSpan.FromMinutes(3));
        monitor.OnConnectionStateChanged(new("c", "p", ConnectionState.Connected, ConnectionState.Disconnected, null));

        Assert.Equal(180.0, Assert.Single(duration.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public void AddResilinkTelemetry_InvalidOptions_FailsWhenTheMonitorIsResolved()
    {
        using ServiceProvider services = new ServiceCollection()
            .AddResilinkTelemetry(o => o.MaxTagValues = 0)
            .BuildServiceProvider();

        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => services.GetRequiredService<IConnectionMonitor>());
    }
}
