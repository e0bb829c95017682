using Microsoft.Extensions.Diagnostics.HealthChecks;
using Resilink.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Resilink node's health check to ASP.NET Core health checks, in the form of the AspNetCore.Diagnostics.HealthChecks packages.</summary>
public static class ResilinkHealthChecksBuilderExtensions
{
    /// <summary>The default name of the health check registration.</summary>
    public const string DefaultName = "resilink";

    /// <summary>
    /// Adds a check of the node registered by <c>AddResilink</c>: Healthy, Degraded or Unhealthy by the rules documented
    /// on <see cref="ResilinkHealthCheckOptions"/>, with the default thresholds.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="name">The registration's name. Default: <c>resilink</c>.</param>
    /// <param name="failureStatus">What an Unhealthy node is reported as (e.g. Degraded, to keep it in rotation); Unhealthy when null.</param>
    /// <param name="tags">Tags for filtering in <c>MapHealthChecks</c>; none when null.</param>
    /// <param name="timeout">How long the check may take; no limit when null.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHealthChecksBuilder AddResilink(
        this IHealthChecksBuilder builder, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ResilinkHealthCheckRegistration.AddCheckServices(builder.Services, name);
        return builder.Add(new HealthCheckRegistration(
            name, sp => ResilinkHealthCheckRegistration.CreateCheck(sp, name), failureStatus, tags, timeout));
    }

    /// <summary>
    /// <see cref="AddResilink(IHealthChecksBuilder, string, HealthStatus?, IEnumerable{string}?, TimeSpan?)"/> with its
    /// own thresholds (validated when the application starts, which then throws naming each bad one).
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="configure">Sets this registration's thresholds.</param>
    /// <param name="name">The registration's name. Default: <c>resilink</c>.</param>
    /// <param name="failureStatus">What an Unhealthy node is reported as; Unhealthy when null.</param>
    /// <param name="tags">Tags for filtering in <c>MapHealthChecks</c>; none when null.</param>
    /// <param name="timeout">How long the check may take; no limit when null.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHealthChecksBuilder AddResilink(
        this IHealthChecksBuilder builder,
        Action<ResilinkHealthCheckOptions> configure,
        string name = DefaultName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ResilinkHealthCheckRegistration.AddCheckServices(builder.Services, name).Configure(configure);
        return builder.AddResilink(name, failureStatus, tags, timeout);
    }
}
