namespace Resilink.Cli.Live;

/// <summary>The reporters' rhythm: a report every interval until cancelled, then a last one.</summary>
internal static class RefreshLoop
{
    /// <summary>Calls <paramref name="report"/> every <paramref name="interval"/> until <paramref name="cancellationToken"/> is cancelled, then once more.</summary>
    public static async Task RunAsync(Func<Task> report, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await report();
            }
        }
        catch (OperationCanceledException)
        {
            // Done: the final report below.
        }
        await report();
    }
}
