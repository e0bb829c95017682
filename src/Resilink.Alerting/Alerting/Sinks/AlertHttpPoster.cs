using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polly;
using Resilink.Resilience;

namespace Resilink.Alerting;

/// <summary>
/// POSTs JSON for the HTTP sinks: each attempt limited by <see cref="HttpAlertSinkOptions.Timeout"/> on the
/// <see cref="TimeProvider"/>, retried by the Resilink retry pipeline (<see cref="RetryPipelineBuilderExtensions.AddResilinkRetry"/>).
/// </summary>
internal sealed partial class AlertHttpPoster
{
    private const int MaxErrorBodyChars = 512;
    private readonly HttpClient _client;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    public AlertHttpPoster(HttpClient client, HttpAlertSinkOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _client = client;
        _timeout = options.Timeout;
        _timeProvider = timeProvider;
        _logger = logger;
        _pipeline = RetryPipelineFactory.Create(options.Retry, timeProvider);
    }

    /// <summary>POSTs <paramref name="json"/> to <paramref name="url"/> until a 2xx answer.</summary>
    /// <exception cref="RetryExhaustedException">Every attempt failed in a retryable way.</exception>
    /// <exception cref="AlertRejectedException">The receiver refused it (not retried).</exception>
    public ValueTask PostAsync(Uri url, byte[] json, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(static (state, token) => state.Self.PostOnceAsync(state.Url, state.Json, token), (Self: this, Url: url, Json: json), cancellationToken);

    private async ValueTask PostOnceAsync(Uri url, byte[] json, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var content = new ByteArrayContent(json);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using HttpResponseMessage response = await _client.PostAsync(url, content, linked.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            string body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            string message = $"POST {url} answered {(int)response.StatusCode} {response.ReasonPhrase}: {body[..Math.Min(body.Length, MaxErrorBodyChars)]}";
            throw response.StatusCode is >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
                ? new AlertDeliveryException(message, response.StatusCode)
                : new AlertRejectedException(message, response.StatusCode);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogAttemptFailed(url, "timed out");
            throw new TimeoutException($"POST {url} got no answer within {_timeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException ex)
        {
            LogAttemptFailed(url, ex.Message);
            throw new AlertDeliveryException($"POST {url} failed: {ex.Message}", statusCode: null, ex);
        }
        catch (AlertDeliveryException ex)
        {
            LogAttemptFailed(url, ex.Message);
            throw;
        }
    }

    [LoggerMessage(30, LogLevel.Debug, "Alert POST to {Url} failed: {Reason}")]
    private partial void LogAttemptFailed(Uri url, string reason);
}
