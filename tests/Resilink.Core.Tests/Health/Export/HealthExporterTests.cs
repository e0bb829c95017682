using System.Text;
using Resilink.Health;

namespace Resilink.Core.Tests.Health.Export;

public class HealthExporterTests
{
    [Fact]
    public void Export_UndefinedFormat_ThrowsArgumentOutOfRangeNamingTheValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => HealthExporter.Export(HealthSnapshotExamples.Empty(), (HealthExportFormat)42));

        Assert.Equal("format", ex.ParamName);
        Assert.Equal((HealthExportFormat)42, ex.ActualValue);
        Assert.Contains("42", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportAsync_UndefinedFormat_ThrowsAtTheCall()
    {
        using var stream = new MemoryStream();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => { _ = HealthExporter.ExportAsync(HealthSnapshotExamples.Empty(), (HealthExportFormat)42, stream); });

        Assert.Equal("format", ex.ParamName);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void Export_NullSummary_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => HealthExporter.Export(null!, HealthExportFormat.Json));
    }

    [Theory]
    [InlineData(HealthExportFormat.Json)]
    [InlineData(HealthExportFormat.Prometheus)]
    public async Task ExportAsync_EachFormat_WritesExportAsUtf8WithoutBom(HealthExportFormat format)
    {
        NetworkHealthSummary summary = HealthSnapshotExamples.Tricky("ünï🚀 \"q\"", "c1");
        using var stream = new MemoryStream();

        await HealthExporter.ExportAsync(summary, format, stream);

        byte[] expected = Encoding.UTF8.GetBytes(HealthExporter.Export(summary, format));
        Assert.Equal(expected, stream.ToArray());
        Assert.True(stream.CanWrite, "the destination stream must stay open");
    }

    [Theory]
    [InlineData(HealthExportFormat.Json)]
    [InlineData(HealthExportFormat.Prometheus)]
    public async Task ExportAsync_CanceledToken_ThrowsOperationCanceled(HealthExportFormat format)
    {
        using var stream = new MemoryStream();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => HealthExporter.ExportAsync(HealthSnapshotExamples.TwoPeers(), format, stream, new CancellationToken(canceled: true)));
    }
}
