using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Packaging;

/// <summary>Runs the <c>dotnet</c> command line to completion, for the tests that pack, install and build like a user.</summary>
internal static class Dotnet
{
    /// <summary>Runs <c>dotnet</c> and returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, string? workingDirectory, CancellationToken cancellationToken)
    {
        await using var dotnet = CliProcess.StartExecutable("dotnet", workingDirectory, arguments);
        int code = await dotnet.WaitForExitAsync(cancellationToken);
        return (code, dotnet.Output);
    }

    /// <summary>Runs <c>dotnet</c>; a non-zero exit fails the test with everything it printed.</summary>
    public static async Task RunOrFailAsync(string[] arguments, string? workingDirectory, CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(arguments, workingDirectory, cancellationToken);
        Assert.True(code == 0, $"dotnet {string.Join(' ', arguments)} exited {code}:\n{output}");
    }
}
