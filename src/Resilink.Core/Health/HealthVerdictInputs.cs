namespace Resilink.Health;

/// <summary>The facts about one connection that <see cref="HealthVerdictRules"/> judges.</summary>
/// <param name="CloseReason">Why the connection closed; <see langword="null"/> while it is open.</param>
/// <param name="ClosedLocally">Whether this side closed it on purpose (only meaningful once <paramref name="CloseReason"/> is set).</param>
/// <param name="ConsecutivePingFailures">Pings failed in a row since the last answer.</param>
/// <param name="Phi">The failure detector's phi now.</param>
/// <param name="HasEvidence">Whether any ping result, failed stream or error was recorded.</param>
/// <param name="Measurements">What the score was computed from.</param>
/// <param name="Score">The score just computed.</param>
internal readonly record struct HealthVerdictInputs(
    string? CloseReason, bool ClosedLocally, int ConsecutivePingFailures, double Phi, bool HasEvidence, HealthScoreInputs Measurements, HealthScore Score);
