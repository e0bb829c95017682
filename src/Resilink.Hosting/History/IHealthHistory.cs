namespace Resilink.Hosting.History;

/// <summary>
/// Reads the node's stored health history: periodic samples of every connection, status changes and alerts, oldest
/// first. Registered by <c>AddResilink().AddHistory()</c>; the dashboard's history chart reads from it.
/// </summary>
public interface IHealthHistory
{
    /// <summary>
    /// Gets the run this node records under: one per node start, since connection ids restart at c1 with every start.
    /// Null for a store that keeps no runs.
    /// </summary>
    string? RunId => null;

    /// <summary>Gets health samples taken at or after <paramref name="since"/>, oldest first, at most <paramref name="limit"/> (the newest are kept).</summary>
    /// <param name="connectionId">One connection's samples, or null for every connection's.</param>
    /// <param name="since">The earliest sample time to include.</param>
    /// <param name="limit">The most samples to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The samples, oldest first.</returns>
    Task<IReadOnlyList<HealthSampleRecord>> GetSamplesAsync(string? connectionId, DateTimeOffset since, int limit, CancellationToken cancellationToken = default);

    /// <summary>Gets one run's health samples at or after <paramref name="since"/>, oldest first, at most <paramref name="limit"/> (the newest are kept).</summary>
    /// <param name="runId">The run (<see cref="RunId"/> for this node start's), or null for every run's.</param>
    /// <param name="connectionId">One connection's samples, or null for every connection's.</param>
    /// <param name="since">The earliest sample time to include.</param>
    /// <param name="limit">The most samples to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The samples, oldest first.</returns>
    async Task<IReadOnlyList<HealthSampleRecord>> GetSamplesAsync(
        string? runId, string? connectionId, DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        // A store without runs of its own: every record it has, of the asked run.
        var samples = await GetSamplesAsync(connectionId, since, limit, cancellationToken).ConfigureAwait(false);
        return runId is null ? samples : [.. samples.Where(s => s.RunId == runId)];
    }

    /// <summary>Gets status changes at or after <paramref name="since"/>, oldest first, at most <paramref name="limit"/> (the newest are kept).</summary>
    /// <param name="connectionId">One connection's changes, or null for every connection's.</param>
    /// <param name="since">The earliest change time to include.</param>
    /// <param name="limit">The most changes to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The changes, oldest first.</returns>
    Task<IReadOnlyList<StatusChangeRecord>> GetStatusChangesAsync(string? connectionId, DateTimeOffset since, int limit, CancellationToken cancellationToken = default);

    /// <summary>Gets one run's status changes at or after <paramref name="since"/>, oldest first, at most <paramref name="limit"/> (the newest are kept).</summary>
    /// <param name="runId">The run (<see cref="RunId"/> for this node start's), or null for every run's.</param>
    /// <param name="connectionId">One connection's changes, or null for every connection's.</param>
    /// <param name="since">The earliest change time to include.</param>
    /// <param name="limit">The most changes to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The changes, oldest first.</returns>
    async Task<IReadOnlyList<StatusChangeRecord>> GetStatusChangesAsync(
        string? runId, string? connectionId, DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        var changes = await GetStatusChangesAsync(connectionId, since, limit, cancellationToken).ConfigureAwait(false);
        return runId is null ? changes : [.. changes.Where(c => c.RunId == runId)];
    }

    /// <summary>Gets alerts raised or resolved at or after <paramref name="since"/>, oldest first, at most <paramref name="limit"/> (the newest are kept).</summary>
    /// <param name="since">The earliest alert time to include.</param>
    /// <param name="limit">The most alerts to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The alerts, oldest first.</returns>
    Task<IReadOnlyList<AlertRecord>> GetAlertsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default);
}
