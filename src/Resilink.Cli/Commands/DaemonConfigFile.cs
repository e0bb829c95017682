using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Resilink.Cli.Commands;

/// <summary>
/// The configuration of <c>resilink daemon</c>: only the JSON file given with <c>--config</c>, never the working
/// folder's appsettings.json nor environment variables. Its <c>Resilink</c> section holds the node's options (the keys
/// of <c>AddResilink</c>), its <c>Logging</c> section the usual log levels.
/// </summary>
internal static class DaemonConfigFile
{
    /// <summary>The section of the node's options.</summary>
    public const string NodeSection = "Resilink";

    /// <summary>
    /// Replaces every source of <paramref name="configuration"/> with the file at <paramref name="path"/> (none when
    /// null); returns a one-line error when the file is missing, unreadable or not JSON.
    /// </summary>
    public static string? Load(IConfigurationBuilder configuration, string? path)
    {
        configuration.Sources.Clear();
        if (path is null)
        {
            return null;
        }
        if (string.IsNullOrWhiteSpace(path))
        {
            return "--config must not be empty.";
        }
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return $"--config '{path}': no such file.";
        }
        try
        {
            configuration.AddJsonFile(full, optional: false, reloadOnChange: false);
            return null;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException or JsonException or FormatException)
        {
            // The JSON provider wraps the parser's error (which names the line) in "Failed to load configuration from file".
            var reason = (ex.InnerException ?? ex).Message.ReplaceLineEndings(" ");
            return $"--config '{path}': {reason}";
        }
    }
}
