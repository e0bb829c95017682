using Resilink.Pooling;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Pooling;

/// <summary>Failures reported on leases count towards failover as consecutive failures of the endpoint.</summary>
public sealed class ConnectionPoolFailureReportTests
{
    [Fact]
    public async Task ReportFailure_EachOfThreeLeasesInARowFailsThenReturns_PrimaryCountsAsFailed()
    {
        var options = PoolHarness.Options(min: 1, max: 1);
        options.Failover = new FailoverOptions { FailureThreshold = 3 };
        await using var h = new PoolHarness(options, withSecondary: true);
        await h.Pool.StartAsync();

        // What every caller does: the operation fails, the failure is reported, the lease is disposed. No operation
        // succeeded in between, so the returns must not count as successes that reset the consecutive failures.
        for (int i = 0; i < 3; i++)
        {
            var lease = await h.Pool.AcquireAsync();
            lease.ReportFailure(new IOException($"operation {i} failed"));
            lease.Dispose();
        }

        Assert.True(h.Pool.Failover!.IsFailed(h.Primary), $"3 consecutive failures reported, but the primary is not failed; {h.Pool.Failover.Statistics}");
    }

    [Fact]
    public async Task ReportFailure_ASucceededLeaseBetweenFailures_ResetsTheConsecutiveCount()
    {
        var options = PoolHarness.Options(min: 1, max: 1);
        options.Failover = new FailoverOptions { FailureThreshold = 3 };
        await using var h = new PoolHarness(options, withSecondary: true);
        await h.Pool.StartAsync();

        foreach (var fails in new[] { true, true, false, true, true })
        {
            var lease = await h.Pool.AcquireAsync();
            if (fails)
            {
                lease.ReportFailure(new IOException("operation failed"));
            }
            lease.Dispose();
        }

        Assert.False(h.Pool.Failover!.IsFailed(h.Primary), $"never 3 failures in a row; {h.Pool.Failover.Statistics}");
    }
}
