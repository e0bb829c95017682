using Microsoft.Extensions.Options;

namespace Resilink.Hosting.History;

/// <summary>Refuses <see cref="HealthHistoryOptions"/> that cannot work, naming each bad setting.</summary>
internal sealed class HealthHistoryOptionsValidator : IValidateOptions<HealthHistoryOptions>
{
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, HealthHistoryOptions options)
    {
        var errors = Errors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Throws an <see cref="OptionsValidationException"/> naming every bad setting, for code that is handed options directly.</summary>
    public static void ThrowIfInvalid(HealthHistoryOptions options)
    {
        var errors = Errors(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(HealthHistoryOptions), errors);
        }
    }

    private static List<string> Errors(HealthHistoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.DataDirectory is { } directory && string.IsNullOrWhiteSpace(directory))
        {
            errors.Add($"{nameof(HealthHistoryOptions.DataDirectory)} must be null (the per-user default) or a path (was '{directory}').");
        }
        foreach (var (setting, value) in new[]
        {
            (nameof(HealthHistoryOptions.Retention), options.Retention),
            (nameof(HealthHistoryOptions.SampleInterval), options.SampleInterval),
            (nameof(HealthHistoryOptions.FlushInterval), options.FlushInterval),
            (nameof(HealthHistoryOptions.PruneInterval), options.PruneInterval),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{setting} must be positive (was {value}).");
            }
            else if (setting != nameof(HealthHistoryOptions.Retention) && value > MaxInterval)
            {
                // Timers take at most ~49 days; an interval near that is a typo, not a plan.
                errors.Add($"{setting} must be at most {MaxInterval} (was {value}).");
            }
        }
        if (options.MaxBatchSize < 1)
        {
            errors.Add($"{nameof(HealthHistoryOptions.MaxBatchSize)} must be at least 1 (was {options.MaxBatchSize}).");
        }
        if (options.MaxQueuedWrites < 1)
        {
            errors.Add($"{nameof(HealthHistoryOptions.MaxQueuedWrites)} must be at least 1 (was {options.MaxQueuedWrites}).");
        }
        return errors;
    }
}
