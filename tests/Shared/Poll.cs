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

    /// <summary>
    /// Takes <paramref name="probe"/>'s value now and then every <paramref name="interval"/> until <paramref name="done"/>
    /// holds for it, and returns that value. When <paramref name="cancellationToken"/> (the test's deadline) fires
    /// first, throws <see cref="TimeoutException"/> with what <paramref name="describe"/> says of the last value.
    /// </summary>
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> probe, Func<T, bool> done, TimeSpan interval, Func<T, string> describe, CancellationToken cancellationToken)
    {
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }
            try
            {
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException ex)
            {
                throw new TimeoutException("Gave up waiting: " + describe(value), ex);
            }
        }
    }
}
