namespace Resilink.Core.Tests.Resilience;

/// <summary>
/// A real-time safety net for awaiting work driven by a fake clock: a broken implementation fails the test after 10 s
/// instead of hanging the run. Never a guess at timing — correct code completes long before.
/// </summary>
internal static class TaskTimeoutExtensions
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static Task<T> WithTimeout<T>(this Task<T> task) => task.WaitAsync(Limit);

    public static Task WithTimeout(this Task task) => task.WaitAsync(Limit);
}
