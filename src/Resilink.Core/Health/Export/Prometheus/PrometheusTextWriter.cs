using System.Globalization;
using System.Text;

namespace Resilink.Health;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4: <c># HELP</c> and <c># TYPE</c> lines, then samples
/// with escaped label values and invariant-culture numbers. Callers keep each family's samples together.
/// </summary>
internal sealed class PrometheusTextWriter
{
    private readonly StringBuilder _text = new();

    /// <summary>Starts a family; write its samples next, before starting another.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="type"><c>counter</c>, <c>gauge</c> or <c>summary</c>.</param>
    /// <param name="help">What it measures, with its unit.</param>
    public void BeginFamily(string name, string type, string help)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>Writes one sample with an integer value.</summary>
    public void Sample(string name, long value, params ReadOnlySpan<(string Name, string Value)> labels) =>
        Sample(name, value.ToString(CultureInfo.InvariantCulture), labels);

    /// <summary>Writes one sample with a floating-point value (NaN and infinities included).</summary>
    public void Sample(string name, double value, params ReadOnlySpan<(string Name, string Value)> labels) =>
        Sample(name, FormatDouble(value), labels);

    /// <summary>Gets the text written so far.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>Spells <paramref name="value"/> as Prometheus parses it: <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c> or a round-trip decimal.</summary>
    internal static string FormatDouble(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Escapes a label value: backslash, double quote and line feed; everything else stays as UTF-8.</summary>
    internal static string EscapeLabelValue(string? value) =>
        (value ?? "").Replace("\\", @"\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", @"\n", StringComparison.Ordinal);

    // HELP text escapes backslash and line feed, but not the double quote.
    private static string EscapeHelp(string help) =>
        help.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    private void Sample(string name, string value, ReadOnlySpan<(string Name, string Value)> labels)
    {
        _text.Append(name);
        if (!labels.IsEmpty)
        {
            _text.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                _text.Append(i == 0 ? "" : ",").Append(labels[i].Name).Append("=\"")
                    .Append(EscapeLabelValue(labels[i].Value)).Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(value).Append('\n');
    }
}
