using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Resilink.Alerting;
using Resilink.EndToEnd.Tests.Support;
using Resilink.Health;
using Resilink.Hosting.History;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Tests.Shared;
using static Resilink.EndToEnd.Tests.History.HistoryRecords;

namespace Resilink.EndToEnd.Tests.History;

/// <summary><see cref="HealthHistoryRecorder"/> between two real hosts on 127.0.0.1, the first with health monitoring.</summary>
public sealed class HealthHistoryRecorderTests
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Recorder_RealHostPair_StoresSamplesStatusChangesAndAlerts()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var directory = new TempDirectory("history-");
        await using var a = new Libp2pHost(new Libp2pHostOptions
        {
            Health = { EnableHealthMonitoring = true, HealthCheckInterval = TimeSpan.FromMilliseconds(200) },
        });
        await using var b = new Libp2pHost();
        await b.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")]);
        var changes = new HealthChangeRecorder(a);
        await using var history = new SqliteHealthHistory(Options(directory.Path));
        await using var alerts = new AlertManager();
        var sampling = new FakeTimeProvider(DateTimeOffset.UtcNow); // the recorder's clock only: the hosts ping in real time
        using var recorder = new HealthHistoryRecorder(
            a, history, alerts, Microsoft.Extensions.Options.Options.Create(Options(directory.Path, o => o.SampleInterval = SampleInterval)),
            sampling, NullLogger<HealthHistoryRecorder>.Instance);
        await recorder.StartAsync(deadline.Token);

        var connection = await a.DialAsync(b.ListenAddresses[0].Encapsulate("/p2p/" + b.PeerId), deadline.Token);
        var healthy = await changes.WaitForStatusAsync(connection.Id, HealthStatus.Healthy, deadline.Token);
        sampling.Advance(SampleInterval);
        var samples = await WaitForAsync(() => history.GetSamplesAsync(connection.Id, DateTimeOffset.MinValue, 10), s => s.Count == 1, history, deadline.Token);

        var sample = Assert.Single(samples);
        Assert.Equal(b.PeerId.ToString(), sample.PeerId);
        Assert.Equal(history.RunId, sample.RunId);
        Assert.Equal(HealthStatus.Healthy, sample.Status);
        Assert.InRange(sample.Score, 0.01, 1);
        Assert.True(sample.RttP50Milliseconds > 0, $"p50 {sample.RttP50Milliseconds} ms");
        Assert.True(sample.RttP95Milliseconds >= sample.RttP50Milliseconds);
        var stored = await history.GetStatusChangesAsync(null, DateTimeOffset.MinValue, 10);
        Assert.Contains(new StatusChangeRecord(
            DateTimeOffset.FromUnixTimeMilliseconds(healthy.Timestamp.ToUnixTimeMilliseconds()), healthy.PeerKey, connection.Id,
            healthy.Previous, HealthStatus.Healthy, healthy.Score, healthy.Reason, history.RunId), stored);

        var rule = new AlertRule("TestRule", MonitoringLevel.Warning);
        alerts.Raise(rule, "svc", "something broke");
        alerts.Resolve(rule.Name, "svc");
        await alerts.FlushAsync(deadline.Token);
        var storedAlerts = await WaitForAsync(() => history.GetAlertsAsync(DateTimeOffset.MinValue, 10), s => s.Count == 2, history, deadline.Token);
        Assert.Equal([false, true], storedAlerts.Select(x => x.Resolved));
        Assert.All(storedAlerts, x => Assert.Equal(("TestRule", MonitoringLevel.Warning, "svc", "something broke"), (x.Rule, x.Level, x.Service, x.Message)));
        Assert.Equal(storedAlerts[0].AlertId, storedAlerts[1].AlertId);

        await recorder.StopAsync(deadline.Token);
    }

    /// <summary>Flushes and reads until <paramref name="done"/> holds: the recorder samples on its own task after the tick.</summary>
    private static Task<IReadOnlyList<T>> WaitForAsync<T>(
        Func<Task<IReadOnlyList<T>>> read, Func<IReadOnlyList<T>, bool> done, SqliteHealthHistory history, CancellationToken cancellationToken) =>
        Poll.UntilAsync(
            async () =>
            {
                await history.FlushAsync(cancellationToken);
                return await read();
            },
            done,
            TimeSpan.FromMilliseconds(20),
            last => $"read {last.Count} records; {history.Statistics}",
            cancellationToken);
}
