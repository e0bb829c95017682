using System.Text.Json;
using System.Text.Json.Nodes;

namespace Resilink.Cli.Json;

/// <summary>
/// Writes <c>--json</c> output: one JSON object per line (NDJSON), flushed at once so a script reading the pipe sees each
/// line as it happens. Safe to call from event handlers on other threads.
/// </summary>
internal sealed class JsonLines(TextWriter output)
{
    private readonly Lock _gate = new();

    /// <summary>Writes <paramref name="line"/>.</summary>
    public void Write(CliJsonLine line) => WriteText(JsonSerializer.Serialize(line, CliJsonContext.Lines.CliJsonLine));

    /// <summary>Writes <paramref name="line"/> (e.g. a health export's object with a <c>type</c> added).</summary>
    public void Write(JsonObject line) => WriteText(line.ToJsonString(CliJsonContext.LineOptions));

    private void WriteText(string json)
    {
        lock (_gate)
        {
            output.WriteLine(json);
            output.Flush();
        }
    }
}
