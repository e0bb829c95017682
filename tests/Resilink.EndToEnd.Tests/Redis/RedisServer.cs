using System.Net.Sockets;
using System.Text;
using Resilink.EndToEnd.Tests.Support;

namespace Resilink.EndToEnd.Tests.Redis;

/// <summary>
/// A real <c>redis-server</c> (Debian package <c>redis-server</c>) on 127.0.0.1 with its own temporary directory and no
/// persistence, ready once it answers <c>PING</c>. It can be killed (SIGKILL) and started again on the same port.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly TempDirectory _directory = new("resilink-redis-");
    private ExternalServer? _process;

    private RedisServer(int port)
    {
        Port = port;
    }

    public int Port { get; }

    /// <summary>Gets the StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>Gets whether the server process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Gets what the server printed, for failure messages.</summary>
    public string Output => _process?.Output ?? "";

    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken)
    {
        var server = new RedisServer(ExternalServer.FreePort());
        try
        {
            await server.RestartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again) on its port.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"redis-server on port {Port} is already running.");
        }
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        string[] arguments =
        [
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", _directory.Path,
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--protected-mode", "yes",
        ];
        _process = await ExternalServer.StartAsync(
            "redis-server", "redis-server", arguments, AnswersPingAsync, $"PING on 127.0.0.1:{Port}", StartTimeout, cancellationToken);
    }

    /// <summary>Kills the server with SIGKILL: its clients see their sockets reset or go silent, as in a crash.</summary>
    public Task KillAsync() => _process?.KillAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        _directory.Dispose();
    }

    private async Task<bool> AnswersPingAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
    }
}
