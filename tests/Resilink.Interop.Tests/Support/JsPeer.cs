using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Resilink.Interop.Tests.Support;

/// <summary>
/// A real js-libp2p peer (interop/js/peer.mjs) running as a child process, driven over
/// stdin/stdout with JSON lines. See interop/js/README.md for the command protocol.
/// </summary>
public sealed class JsPeer : IAsyncDisposable
{
    private const int StderrTailLines = 200;

    private static readonly SemaphoreSlim SetupLock = new(1, 1);
    private static bool setupDone;
    private static readonly Lazy<string> RepoRootLazy = new(FindRepoRoot);

    private static readonly JsonSerializerOptions ArgsJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Process process;
    private readonly JsPeerOptions options;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> pending = new();
    private readonly Channel<JsonElement> events = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> eventLog = [];
    private readonly List<(Func<JsonElement, bool> Predicate, TaskCompletionSource<JsonElement> Tcs)> eventWaiters = [];
    private readonly Lock eventLock = new();
    private readonly ConcurrentQueue<string> stderrTail = new();
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly TaskCompletionSource<JsonElement> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task stdoutPump;
    private long nextId;
    private int disposed;

    private JsPeer(Process process, JsPeerOptions options)
    {
        this.process = process;
        this.options = options;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            stderrTail.Enqueue(e.Data);
            while (stderrTail.Count > StderrTailLines && stderrTail.TryDequeue(out string? _))
            {
            }

            try
            {
                options.StderrLine?.Invoke($"[{options.Name}] {e.Data}");
            }
            catch (InvalidOperationException)
            {
                // ITestOutputHelper throws once the test has finished; ignore.
            }
        };
        process.BeginErrorReadLine();
        stdoutPump = Task.Run(PumpStdoutAsync);
    }

    /// <summary>Repository root (the folder containing Resilink.slnx).</summary>
    public static string RepoRoot => RepoRootLazy.Value;

    /// <summary>interop/js under the repository root.</summary>
    public static string JsDirectory => Path.Combine(RepoRoot, "interop", "js");

    /// <summary>The js peer's id (12D3KooW…).</summary>
    public string PeerId { get; private set; } = string.Empty;

    /// <summary>Listen multiaddrs including the /p2p/ suffix.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>Protocols the js node handles.</summary>
    public IReadOnlyList<string> Protocols { get; private set; } = [];

    /// <summary>All events (connection:open, connection:close, peer:identify, error) in arrival order.</summary>
    public ChannelReader<JsonElement> Events => events.Reader;

    /// <summary>Snapshot of every event received so far.</summary>
    public IReadOnlyList<JsonElement> EventLog
    {
        get
        {
            lock (eventLock)
            {
                return [.. eventLog];
            }
        }
    }

    /// <summary>Last lines of the process's stderr, for diagnostics.</summary>
    public string StderrTail => string.Join(Environment.NewLine, stderrTail);

    /// <summary>True while the node process is running.</summary>
    public bool IsRunning => !process.HasExited;

    /// <summary>Runs interop/js/setup.sh (npm ci if needed) once per test run.</summary>
    public static async Task EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref setupDone))
        {
            return;
        }

        await SetupLock.WaitAsync(cancellationToken);
        try
        {
            if (setupDone)
            {
                return;
            }

            var psi = new ProcessStartInfo("bash")
            {
                WorkingDirectory = JsDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(Path.Combine(JsDirectory, "setup.sh"));
            using var setup = Process.Start(psi) ?? throw new InvalidOperationException("could not start bash setup.sh");
            var stdout = setup.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = setup.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            try
            {
                await setup.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                setup.Kill(entireProcessTree: true);
                throw new TimeoutException("interop/js/setup.sh (npm ci) did not finish within 5 minutes");
            }

            if (setup.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"interop/js/setup.sh failed with exit code {setup.ExitCode}:{Environment.NewLine}{await stdout}{await stderr}");
            }

            setupDone = true;
        }
        finally
        {
            SetupLock.Release();
        }
    }

    /// <summary>Installs npm packages if needed, starts peer.mjs and waits for its ready line.</summary>
    public static async Task<JsPeer> StartAsync(JsPeerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new JsPeerOptions();
        await EnsureInstalledAsync(cancellationToken);

        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("RESILINK_NODE") ?? "node")
        {
            WorkingDirectory = JsDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        // --exit-on-stdin-close: the test run owns the peer; should it die without stopping it, the closed pipe ends it.
        foreach (var arg in new[] { "--import", "./polyfill.mjs", "peer.mjs", "--exit-on-stdin-close", "--port", options.Port.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(arg);
        }

        if (options.PrivateKeyHex is not null)
        {
            psi.ArgumentList.Add("--key");
            psi.ArgumentList.Add(options.PrivateKeyHex);
        }

        if (!options.ConnectionMonitor)
        {
            psi.ArgumentList.Add("--no-monitor");
        }

        if (options.PingHandlerTimeout is { } pingTimeout)
        {
            psi.ArgumentList.Add("--ping-timeout");
            psi.ArgumentList.Add(((long)pingTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        if (options.Environment is not null)
        {
            foreach (var (key, value) in options.Environment)
            {
                psi.Environment[key] = value;
            }
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var peer = new JsPeer(process, options);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ReadyTimeout);
            JsonElement readyLine;
            try
            {
                readyLine = await peer.ready.Task.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"js peer '{options.Name}' printed no ready line within {options.ReadyTimeout.TotalSeconds:0} s." +
                    $"{Environment.NewLine}--- js stderr (tail) ---{Environment.NewLine}{peer.StderrTail}");
            }

            peer.PeerId = readyLine.GetProperty("peerId").GetString() ?? string.Empty;
            peer.Addresses = [.. readyLine.GetProperty("addrs").EnumerateArray().Select(a => a.GetString() ?? string.Empty)];
            peer.Protocols = [.. readyLine.GetProperty("protocols").EnumerateArray().Select(a => a.GetString() ?? string.Empty)];
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends a command and returns the reply (the whole reply object, including "id" and "ok").
    /// Throws <see cref="JsPeerCommandException"/> if js answered ok:false.
    /// </summary>
    public async Task<JsonElement> SendAsync(string command, object? args = null, CancellationToken cancellationToken = default)
    {
        var reply = await SendRawAsync(command, args, cancellationToken);
        if (reply.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
        {
            return reply;
        }

        var error = reply.TryGetProperty("error", out var e) ? e.GetString() ?? "(null)" : reply.GetRawText();
        throw new JsPeerCommandException(command, error, StderrTail);
    }

    /// <summary>Sends a command and returns the reply whether or not it succeeded.</summary>
    public async Task<JsonElement> SendRawAsync(string command, object? args = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0 && command != "stop", this);
        var id = Interlocked.Increment(ref nextId);
        var message = new JsonObject
        {
            ["id"] = id,
            ["cmd"] = command,
            ["args"] = args is null ? new JsonObject() : JsonSerializer.SerializeToNode(args, args.GetType(), ArgsJson),
        };
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = tcs;
        try
        {
            if (process.HasExited)
            {
                throw ProcessGone();
            }

            await writeLock.WaitAsync(cancellationToken);
            try
            {
                await process.StandardInput.WriteLineAsync(message.ToJsonString().AsMemory(), cancellationToken);
                await process.StandardInput.FlushAsync(cancellationToken);
            }
            finally
            {
                writeLock.Release();
            }

            return await tcs.Task.WaitAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"writing to js peer '{options.Name}' failed{Environment.NewLine}{StderrTail}", ex);
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    /// <summary>Waits for an event (already received or future) matching the predicate.</summary>
    public async Task<JsonElement> WaitForEventAsync(Func<JsonElement, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (eventLock)
        {
            foreach (var e in eventLog)
            {
                if (predicate(e))
                {
                    return e;
                }
            }

            eventWaiters.Add((predicate, tcs));
        }

        try
        {
            return await tcs.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"js peer '{options.Name}': expected event not seen within {timeout}. Events: " +
                string.Join(", ", EventLog.Select(e => e.GetRawText())));
        }
        finally
        {
            lock (eventLock)
            {
                eventWaiters.RemoveAll(w => w.Tcs == tcs);
            }
        }
    }

    /// <summary>Waits for an event by name, optionally from a given remote peer.</summary>
    public Task<JsonElement> WaitForEventAsync(string eventName, string? peer, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForEventAsync(
            e => e.GetProperty("event").GetString() == eventName &&
                 (peer is null || (e.TryGetProperty("peer", out var p) && p.GetString() == peer)),
            timeout,
            cancellationToken);

    /// <summary>
    /// Kills the node at once (SIGKILL): js says goodbye on no connection, the kernel closes its sockets.
    /// Returns when the process has exited. <see cref="DisposeAsync"/> is still needed (and then only cleans up).
    /// </summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(cancellationToken);
    }

    /// <summary>Asks the node to stop (short grace period), then kills the process tree.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!process.HasExited && ready.Task.IsCompletedSuccessfully)
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try
                {
                    await SendRawAsync("stop", null, grace.Token);
                    await process.WaitForExitAsync(grace.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException)
                {
                    // fall through to kill
                }
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
                {
                    // already gone or unkillable; nothing more we can do
                }
            }

            try
            {
                await stdoutPump.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
            }

            process.Dispose();
            writeLock.Dispose();
        }
    }

    private async Task PumpStdoutAsync()
    {
        var reader = process.StandardOutput;
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                JsonElement msg;
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    msg = doc.RootElement.Clone();
                }
                catch (JsonException)
                {
                    stderrTail.Enqueue("[non-JSON stdout] " + line);
                    continue;
                }

                if (msg.TryGetProperty("event", out var ev))
                {
                    if (ev.GetString() == "ready")
                    {
                        ready.TrySetResult(msg);
                    }
                    else
                    {
                        OnEvent(msg);
                    }
                }
                else if (msg.TryGetProperty("id", out var idEl) && idEl.ValueKind == JsonValueKind.Number &&
                         pending.TryGetValue(idEl.GetInt64(), out var tcs))
                {
                    tcs.TrySetResult(msg);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // process torn down
        }

        // stdout closed: the process is exiting. Fail anyone still waiting.
        var gone = ProcessGone();
        ready.TrySetException(gone);
        foreach (var tcs in pending.Values)
        {
            tcs.TrySetException(gone);
        }

        events.Writer.TryComplete();
    }

    private void OnEvent(JsonElement msg)
    {
        events.Writer.TryWrite(msg);
        List<TaskCompletionSource<JsonElement>> matched = [];
        lock (eventLock)
        {
            eventLog.Add(msg);
            foreach (var (predicate, tcs) in eventWaiters)
            {
                if (predicate(msg))
                {
                    matched.Add(tcs);
                }
            }
        }

        foreach (var tcs in matched)
        {
            tcs.TrySetResult(msg);
        }
    }

    private InvalidOperationException ProcessGone()
    {
        string code;
        try
        {
            code = process.HasExited ? process.ExitCode.ToString(CultureInfo.InvariantCulture) : "still running";
        }
        catch (InvalidOperationException)
        {
            code = "unknown";
        }

        return new InvalidOperationException(
            $"js peer '{options.Name}' stdout closed (exit code {code}).{Environment.NewLine}--- js stderr (tail) ---{Environment.NewLine}{StderrTail}");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Resilink.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"could not find Resilink.slnx above {AppContext.BaseDirectory}");
    }
}
