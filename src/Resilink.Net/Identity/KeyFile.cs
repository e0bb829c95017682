using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Resilink.Net.Identity;

/// <summary>
/// A node's identity on disk: one file holding the serialized libp2p <c>PrivateKey</c> protobuf, the raw bytes that
/// go-libp2p (<c>crypto.MarshalPrivateKey</c>), js-libp2p (<c>privateKeyToProtobuf</c>) and kubo write, so a key moves
/// between implementations. A new file is readable by its owner only (mode 0600) from the moment it exists, and is never
/// written over; a file that cannot be used is an error naming it, never a silent new identity.
/// </summary>
public static partial class KeyFile
{
    /// <summary>The key file's name in a node's data directory (the daemon's default identity).</summary>
    public const string DefaultFileName = "identity.key";

    /// <summary>Largest file read: an Ed25519 key is 68 bytes, anything much bigger is not a key of ours.</summary>
    private const int MaxFileLength = 4096;

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Loads the key of <paramref name="path"/>, or when there is no such file creates one with a new Ed25519 key
    /// (see <see cref="Create(string, ILogger?)"/>).
    /// </summary>
    /// <param name="path">The key file.</param>
    /// <param name="logger">Where a new file, or an existing one that others can read, is logged; none when null.</param>
    /// <returns>The key pair; the caller disposes it.</returns>
    /// <exception cref="KeyFileException">The file cannot be read, holds no usable key, or cannot be created.</exception>
    public static KeyPair LoadOrCreate(string path, ILogger? logger = null)
    {
        var fullPath = FullPath(path);
        if (!File.Exists(fullPath))
        {
            try
            {
                return Create(fullPath, logger);
            }
            catch (KeyFileException) when (File.Exists(fullPath))
            {
                // Another process created it first: use that one, as if it had been there all along.
            }
        }
        return Load(fullPath, logger);
    }

    /// <summary>Loads the Ed25519 key of an existing key file; warns when group or others may read it.</summary>
    /// <param name="path">The key file.</param>
    /// <param name="logger">Where a file that others can read is logged; none when null.</param>
    /// <returns>The key pair; the caller disposes it.</returns>
    /// <exception cref="KeyFileException">The file is missing or unreadable, empty, malformed, truncated or not Ed25519.</exception>
    public static KeyPair Load(string path, ILogger? logger = null)
    {
        var fullPath = FullPath(path);
        var bytes = ReadAll(fullPath);
        if (bytes.Length == 0)
        {
            throw Error(fullPath, "is empty; expected a libp2p PrivateKey protobuf");
        }
        KeyPair key;
        try
        {
            key = KeyPair.FromProtobufPrivateKey(bytes);
        }
        catch (FormatException ex)
        {
            throw Error(fullPath, $"is not a libp2p PrivateKey protobuf ({OneLine(ex.Message)})", ex);
        }
        catch (NotSupportedException ex)
        {
            throw Error(fullPath, $"holds a key resilink cannot use ({OneLine(ex.Message)})", ex);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
        WarnIfOthersCanRead(fullPath, logger ?? NullLogger.Instance);
        return key;
    }

    /// <summary>
    /// Creates a key file with a new Ed25519 key: parent folders are created (mode 0700), the file is readable by its
    /// owner only from the start (mode 0600, written to a temporary file beside it, then moved into place), and an
    /// existing file is never written over.
    /// </summary>
    /// <param name="path">The key file to create.</param>
    /// <param name="logger">Where the new file is logged; none when null.</param>
    /// <returns>The new key pair; the caller disposes it.</returns>
    /// <exception cref="KeyFileException">The file exists already, or cannot be written.</exception>
    public static KeyPair Create(string path, ILogger? logger = null)
    {
        var key = KeyPair.GenerateEd25519();
        try
        {
            Save(key, path);
        }
        catch
        {
            key.Dispose();
            throw;
        }
        LogCreated(logger ?? NullLogger.Instance, FullPath(path), key.PeerId.ToString());
        return key;
    }

    /// <summary>Writes <paramref name="key"/> to a new key file, with the guarantees of <see cref="Create(string, ILogger?)"/>.</summary>
    /// <param name="key">The key to store.</param>
    /// <param name="path">The key file to create.</param>
    /// <exception cref="KeyFileException">The file exists already, or cannot be written.</exception>
    public static void Save(KeyPair key, string path)
    {
        ArgumentNullException.ThrowIfNull(key);
        var fullPath = FullPath(path);
        if (File.Exists(fullPath) || Directory.Exists(fullPath))
        {
            throw Error(fullPath, "exists already; refusing to overwrite an identity");
        }
        var directory = System.IO.Path.GetDirectoryName(fullPath)!;
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        var bytes = key.ExportProtobufPrivateKey();
        try
        {
            CreateDirectory(directory);
            WriteOwnerOnly(temporary, bytes);
            // No overwrite: a file that appeared meanwhile (another process) wins and this one fails.
            File.Move(temporary, fullPath, overwrite: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw File.Exists(fullPath)
                ? Error(fullPath, "exists already; refusing to overwrite an identity", ex)
                : Error(fullPath, $"cannot be created ({OneLine(ex.Message)})", ex);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static string FullPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new KeyFileException("The key file path is empty.");
        }
        try
        {
            return System.IO.Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Error(path, $"is not a usable path ({OneLine(ex.Message)})", ex);
        }
    }

    private static byte[] ReadAll(string fullPath)
    {
        try
        {
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxFileLength)
            {
                throw Error(fullPath, $"is {stream.Length} bytes; a libp2p PrivateKey protobuf is far smaller");
            }
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (FileNotFoundException ex)
        {
            throw Error(fullPath, "does not exist", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw Error(fullPath, "does not exist", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error(fullPath, $"cannot be read ({OneLine(ex.Message)})", ex);
        }
    }

    private static void WriteOwnerOnly(string path, byte[] bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile; // set by open(2) itself: there is no moment with wider permissions
        }
        using var stream = new FileStream(path, options);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    private static void CreateDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }
    }

    private static void WarnIfOthersCanRead(string fullPath, ILogger logger)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var mode = File.GetUnixFileMode(fullPath);
        if ((mode & GroupOrOthers) != 0)
        {
            LogOthersCanRead(logger, fullPath, Convert.ToString((int)mode, 8));
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stray temporary file holds a key nobody uses and is readable by its owner only.
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").TrimEnd('.', ' ');

    private static KeyFileException Error(string path, string problem, Exception? inner = null)
    {
        var message = $"Key file {path} {problem}.";
        return inner is null ? new KeyFileException(message) { Path = path } : new KeyFileException(message, inner) { Path = path };
    }

    [LoggerMessage(1, LogLevel.Information, "Created identity key file {Path} (peer ID {PeerId})")]
    private static partial void LogCreated(ILogger logger, string path, string peerId);

    [LoggerMessage(2, LogLevel.Warning, "Identity key file {Path} can be read or written by group or others (mode {Mode}); chmod 600 it")]
    private static partial void LogOthersCanRead(ILogger logger, string path, string mode);
}
