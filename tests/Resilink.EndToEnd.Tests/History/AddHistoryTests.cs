using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilink.EndToEnd.Tests.Support;
using Resilink.Hosting.History;

namespace Resilink.EndToEnd.Tests.History;

/// <summary><c>services.AddResilink().AddHistory()</c> in a real application.</summary>
public sealed class AddHistoryTests
{
    [Fact]
    public async Task StartAsync_WithHistory_OneStoreServesAsIHealthHistoryInTheDataDirectory()
    {
        using var directory = new TempDirectory("history-");
        await using var app = Build(history => history.DataDirectory = directory.Path);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await app.StartAsync(timeout.Token);

        var store = app.Services.GetRequiredService<SqliteHealthHistory>();
        Assert.Same(store, app.Services.GetRequiredService<IHealthHistory>());
        Assert.Equal(Path.Combine(directory.Path, "history.db"), store.DatabasePath);
        Assert.True(File.Exists(store.DatabasePath));
        Assert.Empty(await store.GetSamplesAsync(null, DateTimeOffset.MinValue, 10, timeout.Token));
        await app.StopAsync(timeout.Token);
    }

    [Fact]
    public async Task StartAsync_BadHistoryOptions_ThrowsOptionsValidationExceptionNamingEachSetting()
    {
        await using var app = Build(history =>
        {
            history.SampleInterval = TimeSpan.Zero;
            history.MaxQueuedWrites = 0;
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(timeout.Token));

        Assert.Contains("SampleInterval", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxQueuedWrites", error.Message, StringComparison.Ordinal);
    }

    private static WebApplication Build(Action<HealthHistoryOptions> configure)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddResilink().AddHistory(configure);
        return builder.Build();
    }
}
