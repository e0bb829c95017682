using BenchmarkDotNet.Running;

namespace Resilink.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release -- --filter '*' --job short</c>.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected by <paramref name="args"/>.</summary>
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
