using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Resilink.Net.Host;

/// <summary>
/// Runs and tracks the host's background loops so that every exception is observed and logged,
/// and shutdown can wait for all of them.
/// </summary>
internal sealed partial class BackgroundTasks(ILogger logger)
{
    private readonly ConcurrentDictionary<Task, string> _running = new();

    public void Run(string name, Func<Task> work)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Shutdown or a caller's timeout: not an error.
            }
#pragma warning disable CA1031 // This is the last stop for background work: log it rather than lose it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogBackgroundFailure(logger, ex, name);
            }
        });
        _running[task] = name;
        task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, string>)state!).TryRemove(t, out _),
            _running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public int Count => _running.Count;

    /// <summary>Waits for every running task, or until <paramref name="timeout"/> passes.</summary>
    public async Task<bool> WaitAllAsync(TimeSpan timeout, TimeProvider timeProvider)
    {
        var all = Task.WhenAll(_running.Keys);
        try
        {
            await all.WaitAsync(timeout, timeProvider).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background task {Name} failed")]
    private static partial void LogBackgroundFailure(ILogger logger, Exception exception, string name);
}
