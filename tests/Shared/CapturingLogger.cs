using Microsoft.Extensions.Logging;

namespace Resilink.Tests.Shared;

/// <summary>An <see cref="ILogger{T}"/> that keeps every entry (level, event id, formatted message, exception).</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add(new LogEntry(logLevel, eventId.Id, formatter(state, exception), exception));
        }
    }
}

internal sealed record LogEntry(LogLevel Level, int EventId, string Message, Exception? Exception);
