using Microsoft.Data.Sqlite;

namespace Resilink.Hosting.History;

/// <summary>The optional run and connection a history read is narrowed to (null: any).</summary>
/// <param name="RunId">One run's rows, or null for every run's.</param>
/// <param name="ConnectionId">One connection's rows, or null for every connection's.</param>
internal readonly record struct RowFilter(string? RunId, string? ConnectionId)
{
    /// <summary>The SQL conditions to append to a <c>WHERE</c>, each starting with <c>AND</c>; values are parameters.</summary>
    public string Sql => (RunId is null ? "" : " AND run_id = $run") + (ConnectionId is null ? "" : " AND connection = $connection");

    /// <summary>Sets the parameters <see cref="Sql"/> names.</summary>
    public void AddParameters(SqliteCommand command)
    {
        if (RunId is not null)
        {
            command.Parameters.AddWithValue("$run", RunId);
        }
        if (ConnectionId is not null)
        {
            command.Parameters.AddWithValue("$connection", ConnectionId);
        }
    }
}
