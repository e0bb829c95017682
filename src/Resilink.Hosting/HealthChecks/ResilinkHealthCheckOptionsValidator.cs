using Microsoft.Extensions.Options;

namespace Resilink.Hosting;

/// <summary>Refuses thresholds of <see cref="ResilinkHealthCheckOptions"/> out of range when the application starts, naming each.</summary>
internal sealed class ResilinkHealthCheckOptionsValidator : IValidateOptions<ResilinkHealthCheckOptions>
{
    public ValidateOptionsResult Validate(string? name, ResilinkHealthCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.MinimumPeersUp < 0)
        {
            errors.Add($"{nameof(ResilinkHealthCheckOptions.MinimumPeersUp)} must not be negative (was {options.MinimumPeersUp}).");
        }
        if (options.DegradedScoreThreshold is not (>= 0 and <= 1))
        {
            errors.Add($"{nameof(ResilinkHealthCheckOptions.DegradedScoreThreshold)} must be between 0 and 1 (was {options.DegradedScoreThreshold}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
