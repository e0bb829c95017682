using Resilink.Net.Host;
using Resilink.Net.Identity;
using Resilink.Net.Protocols.Echo;

var builder = WebApplication.CreateSlimBuilder(args);

// Node options from appsettings.json's "Resilink" section (peers, listen addresses, health, strategy), then code.
// The app's own OpenTelemetry setup, if it had one, stays as it is: Resilink adds no resource and no exporter.
builder.Services.AddResilink(builder.Configuration.GetSection("Resilink"), node => node.NodeName ??= "minimal-api")
    .AddPrometheusEndpoint(); // the Resilink meter for Prometheus (package Resilink.Hosting.Prometheus)
// /healthz is Unhealthy unless at least one configured peer is up (the rules: ResilinkHealthCheckOptions).
builder.Services.AddHealthChecks().AddResilink(checks => checks.MinimumPeersUp = 1);

var app = builder.Build();
app.MapResilinkEndpoints(); // /health (JSON), /health/metrics
app.MapResilinkPrometheusEndpoint(); // /metrics
app.MapHealthChecks("/healthz");

// The node's peers and how healthy their connections are.
app.MapGet("/peers", (Libp2pHost host) => host.GetNetworkHealthSummary().Peers
    .Select(p => new { peer = p.PeerKey, status = p.Status.ToString(), score = p.AverageScore, connections = p.Connections.Count }));

// Echo a body off a peer over /echo/1.0.0, on the healthiest of its connections.
app.MapPost("/echo/{peer}", async (string peer, HttpRequest request, Libp2pHost host, CancellationToken ct) =>
{
    if (!PeerId.TryParse(peer, out var id))
    {
        return Results.BadRequest($"'{peer}' is not a peer ID.");
    }
    using var body = new MemoryStream();
    await request.Body.CopyToAsync(body, ct);
    var echoed = await EchoProtocol.EchoAsync(host, id!, body.ToArray(), ct);
    return Results.Bytes(echoed, "application/octet-stream");
});

app.Run();
