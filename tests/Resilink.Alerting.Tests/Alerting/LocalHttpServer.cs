using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Resilink.Alerting.Tests.Alerting;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 and a free port for the HTTP sink tests: each request gets the next scripted
/// answer (a status code, or a hang that lasts until the server is disposed), then 200 once the script is used up.
/// Every request is recorded, and a test can wait for the n-th one.
/// </summary>
internal sealed class LocalHttpServer : IAsyncDisposable
{
    /// <summary>A scripted answer that never comes: the request hangs.</summary>
    public const int Hang = -1;

    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Queue<int> _script = new();
    private readonly Channel<RecordedRequest> _arrivals = Channel.CreateUnbounded<RecordedRequest>();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;

    public LocalHttpServer(params int[] script)
    {
        foreach (int answer in script)
        {
            _script.Enqueue(answer);
        }

        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Waits (at most 30 s of real time, as a safety net) until request number <paramref name="n"/> (1-based) has arrived.</summary>
    public async Task<RecordedRequest> WaitForRequestAsync(int n)
    {
        using var limit = new CancellationTokenSource(WaitLimit);
        while (true)
        {
            lock (_requests)
            {
                if (_requests.Count >= n)
                {
                    return _requests[n - 1];
                }
            }

            await _arrivals.Reader.ReadAsync(limit.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                lock (_connections)
                {
                    _connections.Add(ServeAsync(client));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                while (await ReadRequestAsync(stream) is { } request)
                {
                    int answer;
                    lock (_requests)
                    {
                        answer = _script.TryDequeue(out int next) ? next : 200;
                        _requests.Add(request);
                    }

                    _arrivals.Writer.TryWrite(request);
                    if (answer == Hang)
                    {
                        await Task.Delay(Timeout.Infinite, _stopping.Token);
                    }

                    byte[] response = Encoding.ASCII.GetBytes($"HTTP/1.1 {answer} Scripted\r\nContent-Length: 0\r\n\r\n");
                    await stream.WriteAsync(response, _stopping.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // The client gave up (timeout) or the server stopped.
            }
        }
    }

    private async Task<RecordedRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (await stream.ReadAsync(one, _stopping.Token) == 0)
            {
                return null;
            }

            head.Add(one[0]);
        }

        string[] lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = new byte[headers.TryGetValue("Content-Length", out string? length) ? int.Parse(length, System.Globalization.CultureInfo.InvariantCulture) : 0];
        await stream.ReadExactlyAsync(body, _stopping.Token);
        return new RecordedRequest(requestLine[0], requestLine[1], headers, Encoding.UTF8.GetString(body));
    }
}

/// <summary>One request the <see cref="LocalHttpServer"/> received.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);
