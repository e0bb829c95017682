using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilink.Hosting;
using Resilink.Monitoring;
using Resilink.Net.Host;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a hosted Resilink node with dependency injection.</summary>
public static class ResilinkServiceCollectionExtensions
{
    /// <summary>
    /// Registers the node and nothing more: a <see cref="Libp2pHost"/> singleton (reporting to every registered
    /// <see cref="IConnectionMonitor"/>, the <c>Resilink</c> meter's included), and a hosted service that starts it,
    /// listens and keeps the configured peers connected. It never touches the application's OpenTelemetry (no
    /// resource, no provider, no exporter): the app exports the <c>Resilink</c> meter and activity source where it
    /// likes with <c>services.AddOpenTelemetry().WithMetrics(m =&gt; m.AddResilinkInstrumentation())</c> and
    /// <c>.WithTracing(t =&gt; t.AddResilinkInstrumentation())</c>. Everything else is an opt-in on the returned
    /// builder: <c>AddAlerting()</c>, <c>AddDashboard()</c>, <c>AddHistory()</c>, and <c>AddPrometheusEndpoint()</c>
    /// (package Resilink.Hosting.Prometheus); the health check is <c>services.AddHealthChecks().AddResilink()</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">
    /// Sets the node's options; validated when the application starts (or the <see cref="Libp2pHost"/> is first
    /// resolved), which then throws an <see cref="OptionsValidationException"/> naming each bad setting.
    /// </param>
    /// <returns>A builder for the opt-ins.</returns>
    public static IResilinkBuilder AddResilink(this IServiceCollection services, Action<ResilinkNodeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ResilinkNodeOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResilinkNodeOptions>, ResilinkNodeOptionsValidator>());

        services.AddResilinkTelemetry();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new Libp2pHost(
            ResilinkNodeIdentity.HostOptions(sp),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            new CompositeConnectionMonitor([.. sp.GetServices<IConnectionMonitor>()])));
        services.AddHostedService<ResilinkNodeService>();
        return new ResilinkBuilder(services);
    }

    /// <summary>
    /// <see cref="AddResilink(IServiceCollection, Action{ResilinkNodeOptions}?)"/> with the node's options bound from
    /// <paramref name="configuration"/> (typically <c>builder.Configuration.GetSection("Resilink")</c>), then
    /// <paramref name="configure"/>. Keys follow the option names (<c>Peers:0</c>, <c>Host:Health:EnableHealthMonitoring</c>,
    /// <c>Host:Connections:LoadBalancingStrategy</c> = <c>LatencyBased</c>, <c>PeerRetryInterval</c> = <c>00:00:05</c>);
    /// <c>ListenAddresses</c>, when present, replaces the default listen address instead of adding to it. A key that
    /// matches no option, or a value that does not convert, fails the start naming it, as does any invalid setting.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding the node's options.</param>
    /// <param name="configure">Further settings applied after binding, or null.</param>
    /// <returns>A builder for the opt-ins.</returns>
    public static IResilinkBuilder AddResilink(
        this IServiceCollection services, IConfiguration configuration, Action<ResilinkNodeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddResilink(node =>
        {
            // A typo in a key must not pass silently as a default.
            configuration.Bind(node, binder => binder.ErrorOnUnknownConfiguration = true);
            var listen = configuration.GetSection(nameof(ResilinkNodeOptions.ListenAddresses));
            if (listen.Exists())
            {
                // The binder appends to a list that already has items; the configured addresses replace the default.
                node.ListenAddresses.Clear();
                foreach (var address in listen.GetChildren())
                {
                    if (address.Value is { } value)
                    {
                        node.ListenAddresses.Add(value);
                    }
                }
            }
            configure?.Invoke(node);
        });
    }
}
