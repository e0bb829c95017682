using Polly;

namespace Resilink.Resilience;

/// <summary>Builds a stand-alone retry pipeline from <see cref="RetryOptions"/>.</summary>
public static class RetryPipelineFactory
{
    /// <summary>A pipeline with only <see cref="RetryPipelineBuilderExtensions.AddResilinkRetry"/> in it.</summary>
    /// <param name="options">Validated and copied now.</param>
    /// <param name="timeProvider">Clock for the delays; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="random">Jitter source in [0, 1); default <see cref="Random.Shared"/>.</param>
    /// <param name="logger">Where each retried attempt is logged (one line; see <see cref="RetryPipelineBuilderExtensions.AddResilinkRetry"/>); none when null.</param>
    /// <returns>A thread-safe pipeline to share between callers.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public static ResiliencePipeline Create(
        RetryOptions options, TimeProvider? timeProvider = null, Func<double>? random = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System };
        return builder.AddResilinkRetry(options, random, logger).Build();
    }
}
