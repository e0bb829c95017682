using Microsoft.Extensions.Logging;

namespace Resilink.Tests.Shared;

/// <summary>A logger factory whose loggers keep every message (formatted, any level, any category) for assertions.</summary>
internal sealed class CollectingLoggerFactory : ILoggerFactory, ILogger
{
    private readonly List<string> _messages = [];

    /// <summary>Every message so far, in order; a message logged with an exception ends with " | " and the exception's type and message.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>How many messages so far contain <paramref name="fragment"/>.</summary>
    public int Count(string fragment) => Messages.Count(m => m.Contains(fragment, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var message = formatter(state, exception) + (exception is null ? "" : $" | {exception.GetType().Name}: {exception.Message}");
        lock (_messages)
        {
            _messages.Add(message);
        }
    }
}
