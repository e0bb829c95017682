using Microsoft.Extensions.Logging;

namespace Resilink.Tests.Shared;

/// <summary>A logger factory whose loggers, whatever their category, all write to one <see cref="CapturingLogger{T}"/>.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    /// <summary>Every entry logged through this factory's loggers.</summary>
    public CapturingLogger<CapturingLoggerFactory> Logger { get; } = new();

    /// <summary>How many entries so far have a message containing <paramref name="fragment"/>.</summary>
    public int Count(string fragment) => Logger.Entries.Count(e => e.Message.Contains(fragment, StringComparison.Ordinal));

    /// <summary>Every entry so far, one line each (with its exception's type and message), for failure messages.</summary>
    public string Describe() =>
        string.Join(Environment.NewLine, Logger.Entries.Select(e => $"{e.Level} {e.Message}{(e.Exception is null ? "" : $" | {e.Exception.GetType().Name}: {e.Exception.Message}")}"));

    public ILogger CreateLogger(string categoryName) => Logger;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
