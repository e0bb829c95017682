using Microsoft.Extensions.Options;
using Resilink.Alerting;

namespace Resilink.Alerting.Tests.Alerting;

public sealed class HttpAlertSinkOptionsTests
{
    [Fact]
    public void Constructor_Defaults_MatchDocumentedValues()
    {
        var webhook = new WebhookAlertSinkOptions();
        var alertmanager = new AlertmanagerAlertSinkOptions();

        Assert.Equal(TimeSpan.FromSeconds(5), webhook.Timeout);
        Assert.Equal(3, webhook.Retry.MaxRetries);
        Assert.Null(webhook.Url);
        Assert.Equal(TimeSpan.FromSeconds(5), alertmanager.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(20), alertmanager.FiringTimeout);
        Assert.Null(alertmanager.BaseAddress);
        Assert.Null(alertmanager.GeneratorUrl);
    }

    [Fact]
    public void Validate_WebhookEveryOptionBad_NamesEachOneInOneException()
    {
        var options = new WebhookAlertSinkOptions { Timeout = TimeSpan.Zero, Retry = { MaxRetries = -1 } };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(["Timeout", "Retry.MaxRetries", "Url"], error.Failures.Select(f => f.Split(' ')[0]));
        Assert.Equal(typeof(WebhookAlertSinkOptions), error.OptionsType);
    }

    [Fact]
    public void Validate_AlertmanagerEveryOptionBad_NamesEachOneInOneException()
    {
        var options = new AlertmanagerAlertSinkOptions
        {
            BaseAddress = new Uri("ftp://alertmanager/"),
            GeneratorUrl = new Uri("relative", UriKind.Relative),
            FiringTimeout = TimeSpan.FromSeconds(-1),
            Retry = null!,
        };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(["Retry", "BaseAddress", "GeneratorUrl", "FiringTimeout"], error.Failures.Select(f => f.Split(' ')[0]));
    }

    [Fact]
    public void Validate_GoodUrls_Accepted()
    {
        new WebhookAlertSinkOptions { Url = new Uri("https://hooks.example/x") }.Validate();
        new AlertmanagerAlertSinkOptions { BaseAddress = new Uri("http://127.0.0.1:9093") }.Validate();
    }
}
