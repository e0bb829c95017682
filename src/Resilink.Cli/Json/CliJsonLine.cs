using System.Text.Json.Serialization;

namespace Resilink.Cli.Json;

// The NDJSON lines of `--json` (docs/cli-json.md is their schema). Field names follow the dashboard and /health:
// camelCase, "peerId" and "connectionId", statuses as HealthStatus names ("Healthy"), times in milliseconds end in "Ms".

/// <summary>One line of <c>--json</c> output; <c>type</c> says which kind.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PongLine), "pong")]
[JsonDerivedType(typeof(PingLostLine), "lost")]
[JsonDerivedType(typeof(PingSummaryLine), "summary")]
[JsonDerivedType(typeof(ListeningLine), "listening")]
[JsonDerivedType(typeof(ConnectedLine), "connected")]
[JsonDerivedType(typeof(DisconnectedLine), "disconnected")]
[JsonDerivedType(typeof(IdentifyLine), "identify")]
[JsonDerivedType(typeof(WatchingLine), "watching")]
[JsonDerivedType(typeof(StatusChangeLine), "status")]
[JsonDerivedType(typeof(KeyLine), "key")]
internal abstract record CliJsonLine;

/// <summary>ping: a reply.</summary>
internal sealed record PongLine(int Seq, string PeerId, double RttMs) : CliJsonLine;

/// <summary>ping: no reply to this ping (timed out or the stream failed).</summary>
internal sealed record PingLostLine(int Seq, string PeerId, string Error) : CliJsonLine;

/// <summary>ping: the closing statistics, as ping(8) prints them; the RTT figures are null when nothing came back.</summary>
internal sealed record PingSummaryLine(
    string PeerId, string Address, int Sent, int Received, double LossPercent, double? RttMinMs, double? RttAvgMs, double? RttMaxMs, double? RttMdevMs)
    : CliJsonLine;

/// <summary>listen: the node is up.</summary>
internal sealed record ListeningLine(string PeerId, IReadOnlyList<string> Addresses, IReadOnlyList<string> Protocols) : CliJsonLine;

/// <summary>listen and watch: a connection opened.</summary>
internal sealed record ConnectedLine(string PeerId, string ConnectionId, string RemoteAddress, DateTimeOffset Timestamp) : CliJsonLine;

/// <summary>listen and watch: a connection closed, with why when known.</summary>
internal sealed record DisconnectedLine(string PeerId, string ConnectionId, string? Reason, DateTimeOffset Timestamp) : CliJsonLine;

/// <summary>dial: the peer's identify answer and the connection's round trip.</summary>
internal sealed record IdentifyLine(
    string PeerId,
    string ConnectionId,
    string RemoteAddress,
    string AgentVersion,
    string ProtocolVersion,
    IReadOnlyList<string> Protocols,
    IReadOnlyList<string> ListenAddresses,
    string? ObservedAddress,
    double RttMs) : CliJsonLine;

/// <summary>watch: connected to the peer; health lines follow.</summary>
internal sealed record WatchingLine(string PeerId, string Address, int Connections) : CliJsonLine;

/// <summary>watch: a connection's health status changed (the dashboard's <c>status</c> event, field for field).</summary>
internal sealed record StatusChangeLine(
    string ConnectionId, string PeerId, string Previous, string Current, double Score, string Reason, DateTimeOffset Timestamp) : CliJsonLine;

/// <summary>key show: a key file's peer ID, key type and base64 <c>PublicKey</c> protobuf.</summary>
internal sealed record KeyLine(string PeerId, string PublicKey, string KeyType) : CliJsonLine;
