namespace Resilink.Tests.Shared;

/// <summary>Waits for a condition that no event announces by checking it every so often, within the caller's deadline.</summary>
internal static class Poll
{
    /// <summary>
    /// Checks <paramref name="condition"/> now and then every <paramref name="interval"/> until it holds. When
    /// <paramref name="cancellationToken"/> (the test's deadline) fires first, throws <see cref="TimeoutException"/>
    /// with what <paramref name="describe"/> says.
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan interval, Func<string> describe, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            try
            {
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException ex)
            {
                throw new TimeoutException("Gave up waiting: " + describe(), ex);
            }
        }
    }
}
