namespace Resilink.Hosting.History;

/// <summary>
/// Settings of the node's health history (<see cref="SqliteHealthHistory"/> and <see cref="HealthHistoryRecorder"/>).
/// Validated when the application starts; every invalid setting is named at once.
/// </summary>
public sealed class HealthHistoryOptions
{
    /// <summary>The database file's name inside <see cref="DataDirectory"/>.</summary>
    public const string DatabaseFileName = "history.db";

    /// <summary>
    /// Gets or sets the directory that holds <c>history.db</c> (created if missing). Default: null, meaning
    /// <see cref="DefaultDataDirectory"/>, a per-user directory.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>Gets or sets how long records are kept; older ones are pruned. Default: 24 hours.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets how often the recorder samples every connection's health. Default: 5 seconds.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how often the background writer writes what is queued, at the latest; it writes sooner once
    /// <see cref="MaxBatchSize"/> records are waiting. Default: 1 second.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the most records written in one transaction. Default: 1,000.</summary>
    public int MaxBatchSize { get; set; } = 1_000;

    /// <summary>
    /// Gets or sets the most records waiting for the writer; a record offered while it is full is dropped and counted
    /// (the caller never waits). Default: 50,000.
    /// </summary>
    public int MaxQueuedWrites { get; set; } = 50_000;

    /// <summary>Gets or sets how often records older than <see cref="Retention"/> are deleted (also once at start). Default: 10 minutes.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets the per-user default data directory: <c>resilink</c> under the local application data folder
    /// (<c>~/.local/share/resilink</c> on Linux), or under the temp folder where there is no such folder.
    /// </summary>
    public static string DefaultDataDirectory
    {
        get
        {
            var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return Path.Combine(string.IsNullOrEmpty(local) ? Path.GetTempPath() : local, "resilink");
        }
    }

    /// <summary>Gets the database file's full path: <see cref="DataDirectory"/> (or the default) and <see cref="DatabaseFileName"/>.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory ?? DefaultDataDirectory, DatabaseFileName));
}
