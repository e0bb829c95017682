using Microsoft.Extensions.Options;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience;

/// <summary>The delay curve is one set of settings shared by retry and reconnection: same checks, same curve.</summary>
public sealed class BackoffOptionsTests
{
    public static TheoryData<BackoffOptions> Both() => [new RetryOptions(), new ReconnectOptions()];

    [Theory]
    [MemberData(nameof(Both))]
    public void Validate_BadCurve_SameMessagesWhicheverOptionsCarryIt(BackoffOptions options)
    {
        options.InitialDelay = TimeSpan.FromSeconds(-1);
        options.JitterFactor = 2;
        options.Backoff = BackoffKind.Custom; // without CustomDelay

        var failures = Assert.Throws<OptionsValidationException>(options.Validate).Failures.ToArray();

        Assert.Equal(options.GetType(), Assert.Throws<OptionsValidationException>(options.Validate).OptionsType);
        Assert.Equal(3, failures.Length);
        Assert.StartsWith("InitialDelay must not be negative", failures[0], StringComparison.Ordinal);
        Assert.StartsWith("JitterFactor must be between 0 and 1", failures[1], StringComparison.Ordinal);
        Assert.Contains("CustomDelay", failures[2], StringComparison.Ordinal);
    }

    [Fact]
    public void BackoffCalculator_SameCurveOnRetryAndReconnectOptions_SameDelays()
    {
        var retry = new RetryOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(2), JitterFactor = 0 };
        var reconnect = new ReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(2), JitterFactor = 0 };

        var fromRetry = new BackoffCalculator(retry);
        var fromReconnect = new BackoffCalculator(reconnect);

        Assert.Equal(
            Enumerable.Range(0, 8).Select(fromRetry.GetBaseDelay),
            Enumerable.Range(0, 8).Select(fromReconnect.GetBaseDelay));
        Assert.Equal(TimeSpan.FromSeconds(2), fromRetry.GetBaseDelay(7));
    }

    [Fact]
    public void Defaults_DifferOnlyInMaxDelay()
    {
        var retry = new RetryOptions();
        var reconnect = new ReconnectOptions();

        Assert.Equal(
            (retry.InitialDelay, retry.BackoffMultiplier, retry.JitterFactor, retry.Backoff),
            (reconnect.InitialDelay, reconnect.BackoffMultiplier, reconnect.JitterFactor, reconnect.Backoff));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)), (retry.MaxDelay, reconnect.MaxDelay));
    }
}
