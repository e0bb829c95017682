namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What <c>services.AddResilink()</c> returns: the node is registered, and each further part is an opt-in on this
/// builder (<c>AddAlerting()</c>, <c>AddDashboard()</c>, <c>AddHistory()</c>, and <c>AddPrometheusEndpoint()</c>
/// from the Resilink.Hosting.Prometheus package). Extension packages add their opt-ins as extension methods.
/// </summary>
public interface IResilinkBuilder
{
    /// <summary>Gets the application's services, where the opt-ins register.</summary>
    IServiceCollection Services { get; }
}
