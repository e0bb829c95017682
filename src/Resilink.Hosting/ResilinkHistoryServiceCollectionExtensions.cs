using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilink.Hosting.History;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the node's health history with dependency injection.</summary>
public static class ResilinkHistoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the health history of the node added by <c>AddResilink</c> (call that first): a
    /// <see cref="SqliteHealthHistory"/> singleton (also as <see cref="IHealthHistory"/>, what the dashboard reads)
    /// in <c>history.db</c> under <see cref="HealthHistoryOptions.DataDirectory"/>, and the
    /// <see cref="HealthHistoryRecorder"/> hosted service that fills it with samples, status changes and alerts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">
    /// Sets the history's options; validated when the application starts, which then throws an
    /// <see cref="OptionsValidationException"/> naming each bad setting.
    /// </param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddResilinkHistory(this IServiceCollection services, Action<HealthHistoryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<HealthHistoryOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HealthHistoryOptions>, HealthHistoryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SqliteHealthHistory(
            sp.GetRequiredService<IOptions<HealthHistoryOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SqliteHealthHistory>>()));
        services.TryAddSingleton<IHealthHistory>(sp => sp.GetRequiredService<SqliteHealthHistory>());
        services.AddHostedService<HealthHistoryRecorder>();
        return services;
    }
}
