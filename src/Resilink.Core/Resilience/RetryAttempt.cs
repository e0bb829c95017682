namespace Resilink.Resilience;

/// <summary>One failed attempt of a retried operation.</summary>
/// <param name="Number">1-based attempt number (1 is the first call, 2 the first retry).</param>
/// <param name="DelayBefore">How long the pipeline waited before this attempt; zero for the first.</param>
/// <param name="Exception">What the attempt threw.</param>
public readonly record struct RetryAttempt(int Number, TimeSpan DelayBefore, Exception Exception);
