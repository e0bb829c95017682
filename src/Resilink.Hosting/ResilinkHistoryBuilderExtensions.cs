using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilink.Hosting.History;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The health history opt-in of <see cref="IResilinkBuilder"/>.</summary>
public static class ResilinkHistoryBuilderExtensions
{
    /// <summary>
    /// Registers the health history of the node (and its alerting, <c>AddAlerting()</c>, whose alerts it stores): a
    /// <see cref="SqliteHealthHistory"/> singleton (also as <see cref="IHealthHistory"/>, what the dashboard reads)
    /// in <c>history.db</c> under <see cref="HealthHistoryOptions.DataDirectory"/>, and the
    /// <see cref="HealthHistoryRecorder"/> hosted service that fills it with samples, status changes and alerts.
    /// </summary>
    /// <param name="builder">The builder from <c>AddResilink</c>.</param>
    /// <param name="configure">
    /// Sets the history's options; validated when the application starts, which then throws an
    /// <see cref="OptionsValidationException"/> naming each bad setting.
    /// </param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IResilinkBuilder AddHistory(this IResilinkBuilder builder, Action<HealthHistoryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAlerting();
        var services = builder.Services;
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
        return builder;
    }
}
