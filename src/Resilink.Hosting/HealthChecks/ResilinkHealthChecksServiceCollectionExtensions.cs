using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Resilink.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Bridges the Resilink node's network health into ASP.NET Core health checks.</summary>
public static class ResilinkHealthChecksServiceCollectionExtensions
{
    /// <summary>The name of the health check registration.</summary>
    public const string HealthCheckName = "resilink";

    /// <summary>
    /// Registers the <c>resilink</c> health check (Healthy / Degraded / Unhealthy by the rules documented on
    /// <see cref="ResilinkHealthCheckOptions"/>), so <c>MapHealthChecks("/healthz")</c> reflects the node's peers and
    /// connections. <c>AddResilink</c> calls it with the defaults; call it again to change the thresholds. Registers
    /// the check once however often it is called.
    /// </summary>
    /// <param name="services">The services (with <c>AddResilink</c>).</param>
    /// <param name="configure">Changes the thresholds, or null.</param>
    /// <returns>The health checks builder, to add more checks.</returns>
    public static IHealthChecksBuilder AddResilinkHealthChecks(this IServiceCollection services, Action<ResilinkHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ResilinkHealthCheckOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        var builder = services.AddHealthChecks();
        if (services.Any(d => d.ServiceType == typeof(ResilinkHealthCheck)))
        {
            return builder; // registered and validated by the first call; this one only adds its settings
        }
        options
            .Validate(o => o.MinimumPeersUp >= 0, $"{nameof(ResilinkHealthCheckOptions.MinimumPeersUp)} must not be negative.")
            .Validate(o => o.DegradedScoreThreshold is >= 0 and <= 1, $"{nameof(ResilinkHealthCheckOptions.DegradedScoreThreshold)} must be between 0 and 1.")
            .ValidateOnStart();
        services.TryAddSingleton<ResilinkHealthCheck>();
        // Tags are read when the registration is made, after every Configure has run.
        services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(sp => new ConfigureOptions<HealthCheckServiceOptions>(checks =>
            checks.Registrations.Add(new HealthCheckRegistration(
                HealthCheckName,
                _ => sp.GetRequiredService<ResilinkHealthCheck>(),
                failureStatus: null,
                tags: sp.GetRequiredService<IOptions<ResilinkHealthCheckOptions>>().Value.Tags))));
        return builder;
    }
}
