using Microsoft.Extensions.Options;
using Resilink.Resilience;

namespace Resilink.Alerting;

/// <summary>
/// What the HTTP sinks share: the time limit of one request and how failed requests are retried. Responses 5xx, 408
/// and 429, timeouts and connection errors are retried; other 4xx responses are not.
/// </summary>
public abstract class HttpAlertSinkOptions
{
    /// <summary>Limit for one HTTP request (one attempt, not all retries); positive. Default: 5 s.</summary>
    public TimeSpan Timeout { get; set; } = AlertConstants.DefaultHttpTimeout;

    /// <summary>Retry of failed requests, with the delays of <see cref="BackoffCalculator"/>. Default: a new <see cref="RetryOptions"/> (3 retries from 100 ms).</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>Checks every setting, <see cref="Retry"/>'s included, and throws one exception that names each bad one.</summary>
    /// <exception cref="OptionsValidationException">At least one setting is invalid; <see cref="OptionsValidationException.Failures"/> lists them all.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (Timeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(Timeout)} must be positive (was {Timeout}).");
        }
        if (Retry is null)
        {
            errors.Add($"{nameof(Retry)} is required.");
        }
        else
        {
            Retry.CollectErrors(errors, prefix: nameof(Retry) + ".");
        }
        CollectErrors(errors);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, GetType(), errors);
        }
    }

    /// <summary>Adds one message per bad setting of the derived options to <paramref name="errors"/>.</summary>
    private protected abstract void CollectErrors(List<string> errors);

    /// <summary>Adds an error unless <paramref name="url"/> is an absolute http or https URL.</summary>
    private protected static void RequireHttpUrl(Uri? url, string name, List<string> errors, bool required = true)
    {
        if (url is null)
        {
            if (required)
            {
                errors.Add($"{name} is required.");
            }
        }
        else if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{name} must be an absolute http or https URL (was {url}).");
        }
    }
}
