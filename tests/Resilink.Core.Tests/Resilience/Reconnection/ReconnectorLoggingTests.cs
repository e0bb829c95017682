using Microsoft.Extensions.Logging;
using Resilink.Tests.Shared;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience.Reconnection;

public sealed class ReconnectorLoggingTests
{
    [Fact]
    public async Task ReconnectAsync_GivesUp_LogsEachFailureAtDebugAndGiveUpAsOneWarningLineWithoutStackTrace()
    {
        var logger = new CapturingLogger<Reconnector>();
        var reconnector = new Reconnector(new ReconnectOptions { MaxAttempts = 2, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero }, logger: logger);

        await Assert.ThrowsAsync<RetryExhaustedException>(() => reconnector.ReconnectAsync("peer-9", ScriptedDialer.AlwaysRefused().ConnectAsync).WithTimeout());

        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Debug && e.Message.StartsWith("Reconnecting peer-9: attempt", StringComparison.Ordinal)));
        var gaveUp = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.StartsWith("Gave up reconnecting peer-9 after 2 attempt(s): Gave up after 2 attempts", gaveUp.Message, StringComparison.Ordinal);
        Assert.Null(gaveUp.Exception); // each attempt's exception is in its Debug entry
        Assert.DoesNotContain('\n', gaveUp.Message);
    }
}
