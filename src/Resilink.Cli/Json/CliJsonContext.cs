using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Resilink.Cli.Json;

/// <summary>System.Text.Json source generation for the <c>--json</c> lines (no reflection; trimming-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CliJsonLine))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>
    /// One line each, with '+' and non-ASCII text left as they are: the lines go to a terminal, a file or a script,
    /// never into HTML, so the default escaping would only make them harder to read.
    /// </summary>
    public static JsonSerializerOptions LineOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>The context with <see cref="LineOptions"/>.</summary>
    public static CliJsonContext Lines { get; } = new(LineOptions);
}
