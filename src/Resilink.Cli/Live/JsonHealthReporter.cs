using System.Text.Json.Nodes;
using Resilink.Cli.Json;
using Resilink.Health;
using Resilink.Net.Host;

namespace Resilink.Cli.Live;

/// <summary>
/// <c>resilink watch --json</c>'s stand-in for the live table: every interval, one <c>connection</c> line per connection
/// to the watched peer, each the connection's object of the health JSON export (<c>/health</c>'s document, the same
/// fields and spellings) with <c>type</c> and the export's <c>timestamp</c> added.
/// </summary>
internal static class JsonHealthReporter
{
    /// <summary>Reports until <paramref name="cancellationToken"/> is cancelled, then once more and returns.</summary>
    public static Task RunAsync(Libp2pHost host, string peerKey, JsonLines output, TimeSpan interval, CancellationToken cancellationToken) =>
        RefreshLoop.RunAsync(
            () =>
            {
                foreach (var line in ConnectionLines(host.ExportHealthMetrics(HealthExportFormat.Json), peerKey))
                {
                    output.Write(line);
                }
                return Task.CompletedTask;
            },
            interval,
            cancellationToken);

    /// <summary>The connections to <paramref name="peerKey"/> in a health JSON export, as <c>connection</c> lines.</summary>
    public static IEnumerable<JsonObject> ConnectionLines(string healthExport, string peerKey)
    {
        var document = JsonNode.Parse(healthExport)?.AsObject() ?? throw new InvalidDataException("The health export is not a JSON object.");
        var connections = document["peers"]?.AsArray()
            .Where(peer => (string?)peer?["peerKey"] == peerKey)
            .SelectMany(peer => peer?["connections"]?.AsArray() ?? [])
            .OfType<JsonObject>() ?? [];
        foreach (var connection in connections)
        {
            var line = new JsonObject { ["type"] = "connection", ["timestamp"] = document["timestamp"]?.DeepClone() };
            foreach (var (name, value) in connection)
            {
                line[name] = value?.DeepClone();
            }
            yield return line;
        }
    }
}
