using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Resilink.Net.Host;

namespace Resilink.Hosting;

/// <summary>
/// The services behind a <see cref="ResilinkHealthCheck"/>: its thresholds are the <see cref="ResilinkHealthCheckOptions"/>
/// named after its registration (so two registrations can judge differently), validated when the application starts.
/// </summary>
internal static class ResilinkHealthCheckRegistration
{
    /// <summary>Registers the thresholds named <paramref name="name"/> (validated on start) and their validator.</summary>
    public static OptionsBuilder<ResilinkHealthCheckOptions> AddCheckServices(IServiceCollection services, string name)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResilinkHealthCheckOptions>, ResilinkHealthCheckOptionsValidator>());
        return services.AddOptions<ResilinkHealthCheckOptions>(name).ValidateOnStart();
    }

    /// <summary>A check judging with the thresholds named <paramref name="name"/>.</summary>
    public static ResilinkHealthCheck CreateCheck(IServiceProvider services, string name) => new(
        services.GetRequiredService<Libp2pHost>(),
        services.GetRequiredService<IOptions<ResilinkNodeOptions>>().Value,
        services.GetRequiredService<IOptionsMonitor<ResilinkHealthCheckOptions>>().Get(name));
}
