using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilink.EndToEnd.Tests.Support;

namespace Resilink.EndToEnd.Tests.Hosting;

/// <summary>
/// <c>MapResilinkEndpoints</c>, <c>MapResilinkDashboard</c> and <c>MapResilinkPrometheusEndpoint</c> return convention
/// builders: authorization put on them is enforced, and a route group's prefix is honoured.
/// </summary>
[Collection(nameof(InProcessMetricsGroup))]
public sealed class EndpointConventionTests
{
    private const string Scheme = "Test";
    private const string UserHeader = "X-Test-User";

    [Fact]
    public async Task RequireAuthorization_OnEachMapping_Gives401Anonymous403WithoutTheRoleAnd200WithIt()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var builder = HostedApp.CreateBuilder();
        builder.Services.AddResilink().AddDashboard().AddPrometheusEndpoint();
        builder.Services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(Scheme, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy("ops", policy => policy.RequireRole("ops"));
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapResilinkEndpoints().RequireAuthorization("ops");
        app.MapResilinkDashboard().RequireAuthorization("ops");
        app.MapResilinkPrometheusEndpoint().RequireAuthorization("ops");
        using var http = await HostedApp.StartAsync(app, timeout.Token);

        foreach (var path in new[] { "health", "health/metrics", "metrics", "", "dashboard/dashboard.js", "api/dashboard/snapshot" })
        {
            Assert.Equal((path, HttpStatusCode.Unauthorized), (path, await StatusAsync(http, path, user: null, timeout.Token)));
            Assert.Equal((path, HttpStatusCode.Forbidden), (path, await StatusAsync(http, path, "guest", timeout.Token)));
            Assert.Equal((path, HttpStatusCode.OK), (path, await StatusAsync(http, path, "ops", timeout.Token)));
        }
        await app.StopAsync(timeout.Token);
    }

    [Fact]
    public async Task MapGroup_Prefix_ServesEveryEndpointUnderItAndNothingAtTheRoot()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var builder = HostedApp.CreateBuilder();
        var (peer, address) = await HostedApp.StartPeerAsync(timeout.Token);
        await using var _ = peer;
        builder.Services.AddResilink(node => node.Peers.Add(address)).AddDashboard().AddPrometheusEndpoint();
        await using var app = builder.Build();
        var ops = app.MapGroup("/ops");
        ops.MapResilinkEndpoints();
        ops.MapResilinkDashboard();
        ops.MapResilinkPrometheusEndpoint();
        using var http = await HostedApp.StartAsync(app, timeout.Token);

        Assert.Contains("\"peers\"", await http.GetStringAsync("ops/health", timeout.Token), StringComparison.Ordinal);
        Assert.Contains("resilink_", await http.GetStringAsync("ops/health/metrics", timeout.Token), StringComparison.Ordinal);
        await HostedApp.PollUntilContainsAsync(http, "ops/metrics", "resilink_peers_connected", timeout.Token);
        Assert.Contains("\"peers\"", await http.GetStringAsync("ops/api/dashboard/snapshot", timeout.Token), StringComparison.Ordinal);
        // The page's own URLs are relative, so they resolve under the prefix.
        var page = await http.GetStringAsync("ops/", timeout.Token);
        Assert.Contains("src=\"dashboard/dashboard.js\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "ops/dashboard/dashboard.js", null, timeout.Token));
        using (var bare = await http.GetAsync("ops", timeout.Token))
        {
            Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
            Assert.Equal("/ops/", bare.Headers.Location?.OriginalString);
        }
        foreach (var path in new[] { "health", "metrics", "", "api/dashboard/snapshot" })
        {
            Assert.Equal((path, HttpStatusCode.NotFound), (path, await StatusAsync(http, path, null, timeout.Token)));
        }
        await app.StopAsync(timeout.Token);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path, string? user, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (user is not null)
        {
            request.Headers.Add(UserHeader, user);
        }
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>Signs in whoever the <c>X-Test-User</c> header names, with that name as their one role; anonymous without it.</summary>
    private sealed class HeaderAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers[UserHeader].FirstOrDefault() is not { Length: > 0 } user)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.Role, user)], Scheme.Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
        }
    }
}
