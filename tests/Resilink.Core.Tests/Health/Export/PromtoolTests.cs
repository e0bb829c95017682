using Resilink.Tests.Shared;

namespace Resilink.Core.Tests.Health.Export;

// Proves the promtool helper can fail, so that its passing verdicts on the export mean something.
public class PromtoolTests
{
    [Fact]
    public async Task CheckMetrics_MalformedLabel_IsNotClean()
    {
        Promtool.Result result = await Promtool.CheckMetricsAsync("# HELP x_seconds X.\n# TYPE x_seconds gauge\nx_seconds{peer=\"unterminated} 1\n");

        Assert.False(result.IsClean, result.ToString());
        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task CheckMetrics_CounterWithoutTotalSuffix_IsNotClean()
    {
        Promtool.Result result = await Promtool.CheckMetricsAsync("# HELP x_bytes X.\n# TYPE x_bytes counter\nx_bytes 1\n");

        Assert.False(result.IsClean, result.ToString());
        Assert.Contains("_total", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckMetrics_ValidGauge_IsClean()
    {
        await Promtool.AssertCleanAsync("# HELP x_seconds X.\n# TYPE x_seconds gauge\nx_seconds{peer=\"a\\\"b\"} 0.5\n");
    }
}
