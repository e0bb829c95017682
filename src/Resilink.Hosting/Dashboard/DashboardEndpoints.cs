using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Resilink.Hosting.History;

namespace Resilink.Hosting.Dashboard;

/// <summary>The dashboard's API handlers: the snapshot, the event stream and the history.</summary>
internal static class DashboardEndpoints
{
    private const int MaxHistorySamples = 3600;
    private const int MaxHistoryChanges = 500;
    private const double DefaultHistoryMinutes = 15;
    private const double MaxHistoryMinutes = 24 * 60;

    /// <summary>The current snapshot; one built in the last <see cref="DashboardEventHub.SnapshotReuse"/> is reused.</summary>
    public static IResult Snapshot(DashboardEventHub hub) =>
        TypedResults.Bytes(hub.Snapshot(DashboardEventHub.SnapshotReuse).Body, "application/json; charset=utf-8");

    /// <summary>
    /// Server-sent events until the client goes or the application stops: a snapshot at once, then whatever the hub
    /// publishes. Each event is flushed as written; nothing is buffered on the way.
    /// </summary>
    public static async Task Events(HttpContext context, DashboardEventHub hub)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no"; // tells a reverse proxy in front not to buffer either
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, hub.Stopping);
        var cancellationToken = linked.Token;
        var client = hub.Subscribe();
        try
        {
            // The browser's EventSource reconnects by itself after this long when the stream ends.
            await response.WriteAsync("retry: 1000\n\n", cancellationToken).ConfigureAwait(false);
            await WriteAsync(response, hub.Snapshot(DashboardEventHub.SnapshotReuse), cancellationToken).ConfigureAwait(false);
            while (await client.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                while (client.TryRead(out var item))
                {
                    await WriteAsync(response, item, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away or the application is stopping: the stream just ends.
        }
        finally
        {
            hub.Unsubscribe(client);
        }
    }

    /// <summary>
    /// A connection's stored samples and status changes from <see cref="IHealthHistory"/> when one is registered;
    /// otherwise an empty answer with <c>available: false</c> (not a 404), and the page charts what it saw live.
    /// </summary>
    public static async Task<IResult> History(HttpContext context, TimeProvider time, string? connection, double? minutes)
    {
        var store = context.RequestServices.GetService<IHealthHistory>();
        if (store is null)
        {
            return TypedResults.Json(new DashboardHistory(connection, false, [], []), DashboardJsonContext.Default.DashboardHistory);
        }
        var span = double.IsFinite(minutes ?? double.NaN) ? Math.Clamp(minutes!.Value, 0.1, MaxHistoryMinutes) : DefaultHistoryMinutes;
        var since = time.GetUtcNow() - TimeSpan.FromMinutes(span);
        var cancellationToken = context.RequestAborted;
        var run = connection is null ? null : store.RunId; // connection ids restart at c1 with every node start: this start's c1
        var samples = await store.GetSamplesAsync(run, connection, since, MaxHistorySamples, cancellationToken).ConfigureAwait(false);
        var changes = await store.GetStatusChangesAsync(run, connection, since, MaxHistoryChanges, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(
            new DashboardHistory(
                connection,
                true,
                [.. samples.Select(s => new DashboardSample(s.Timestamp, s.Status.ToString(), s.Score, s.RttP50Milliseconds, s.RttP95Milliseconds))],
                [.. changes.Select(c => new DashboardStatusChange(
                    c.ConnectionId, c.PeerId, c.Previous.ToString(), c.Current.ToString(), c.Score, c.Reason, c.Timestamp))]),
            DashboardJsonContext.Default.DashboardHistory);
    }

    private static async Task WriteAsync(HttpResponse response, DashboardEvent item, CancellationToken cancellationToken)
    {
        // The data is one line of JSON (not indented), so one data: field carries it. The three parts are shared by
        // every client and copied into the response as they are: nothing is built per client.
        var writer = response.BodyWriter;
        writer.Write(item.Header);
        writer.Write(item.Body);
        writer.Write(DashboardEvent.Terminator.Span);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
