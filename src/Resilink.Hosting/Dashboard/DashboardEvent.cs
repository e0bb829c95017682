using System.Globalization;
using System.Text;

namespace Resilink.Hosting.Dashboard;

/// <summary>
/// One server-sent event, encoded once for every client: <paramref name="Header"/> (<c>event:</c>, <c>id:</c> and the
/// <c>data: </c> prefix) and <paramref name="Body"/> (one line of UTF-8 JSON); the writer ends it with a blank line.
/// </summary>
/// <param name="Name">The event's name: snapshot, status, circuit or alert.</param>
/// <param name="Sequence">
/// Its place in the hub's one sequence (the SSE <c>id</c>). A snapshot takes its number before it reads the host, so a
/// status event numbered after it reports a change the snapshot may have missed; the page keeps that status.
/// </param>
/// <param name="Header">UTF-8 <c>event: name\nid: n\ndata: </c>.</param>
/// <param name="Body">UTF-8 JSON, one line.</param>
internal sealed record DashboardEvent(string Name, long Sequence, byte[] Header, byte[] Body)
{
    /// <summary>Gets the blank line that ends every event.</summary>
    public static ReadOnlyMemory<byte> Terminator { get; } = "\n\n"u8.ToArray();

    /// <summary>Gets when a snapshot was built (for reuse by later requests); default for other events.</summary>
    public DateTimeOffset BuiltAt { get; init; }

    public static DashboardEvent Create(string name, long sequence, byte[] body) =>
        new(name, sequence, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"event: {name}\nid: {sequence}\ndata: ")), body);
}
