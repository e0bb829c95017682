using Resilink.Health;

namespace Resilink.Core.Tests.Health.Export;

public class PrometheusTextWriterTests
{
    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(0.1, "0.1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    public void FormatDouble_Value_IsSpelledForPrometheus(double value, string expected)
    {
        Assert.Equal(expected, PrometheusTextWriter.FormatDouble(value));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\\b", "a\\\\b")]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("two\nlines", "two\\nlines")]
    [InlineData("ünï🚀\t", "ünï🚀\t")]
    [InlineData("\\\"\n", "\\\\\\\"\\n")]
    public void EscapeLabelValue_Value_EscapesOnlyBackslashQuoteAndNewline(string value, string expected)
    {
        Assert.Equal(expected, PrometheusTextWriter.EscapeLabelValue(value));
    }

    [Fact]
    public void BeginFamily_HelpWithBackslashAndNewline_IsEscaped()
    {
        var writer = new PrometheusTextWriter();
        writer.BeginFamily("x_seconds", "gauge", "a\\b\nc \"q\"");

        Assert.Equal("# HELP x_seconds a\\\\b\\nc \"q\"\n# TYPE x_seconds gauge\n", writer.ToString());
    }

    [Fact]
    public void Sample_WithLabels_WritesNameLabelsAndValue()
    {
        var writer = new PrometheusTextWriter();
        writer.Sample("x_total", 7L, ("peer", "p"), ("direction", "in"));
        writer.Sample("y", 0.5);

        Assert.Equal("x_total{peer=\"p\",direction=\"in\"} 7\ny 0.5\n", writer.ToString());
    }
}
