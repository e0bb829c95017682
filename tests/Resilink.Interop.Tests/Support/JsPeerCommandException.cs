namespace Resilink.Interop.Tests.Support;

/// <summary>A peer.mjs command answered <c>{"ok":false,"error":…}</c>.</summary>
public sealed class JsPeerCommandException : Exception
{
    public JsPeerCommandException()
    {
        Command = string.Empty;
        RemoteError = string.Empty;
    }

    public JsPeerCommandException(string message)
        : base(message)
    {
        Command = string.Empty;
        RemoteError = message;
    }

    public JsPeerCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
        Command = string.Empty;
        RemoteError = message;
    }

    public JsPeerCommandException(string command, string remoteError, string stderrTail)
        : base($"js peer command '{command}' failed: {remoteError}{Environment.NewLine}--- js stderr (tail) ---{Environment.NewLine}{stderrTail}")
    {
        Command = command;
        RemoteError = remoteError;
    }

    /// <summary>The command that failed.</summary>
    public string Command { get; }

    /// <summary>The error text reported by js.</summary>
    public string RemoteError { get; }
}
