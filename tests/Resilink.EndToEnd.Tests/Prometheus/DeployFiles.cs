namespace Resilink.EndToEnd.Tests.Prometheus;

/// <summary>The monitoring files under <c>deploy/</c>, found from the repository root (the folder with Resilink.slnx).</summary>
internal static class DeployFiles
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    public static string RepositoryRoot => Root.Value;

    public static string AlertRules => Path.Combine(RepositoryRoot, "deploy", "prometheus", "alerts.yml");

    public static string AlertRuleTestsDirectory => Path.Combine(RepositoryRoot, "deploy", "prometheus", "tests");

    public static string AlertmanagerConfig => Path.Combine(RepositoryRoot, "deploy", "alertmanager", "alertmanager.yml");

    public static string Dashboard => Path.Combine(RepositoryRoot, "deploy", "grafana", "resilink.json");

    /// <summary>The promtool unit-test files, sorted; fails the test if there are none.</summary>
    public static IReadOnlyList<string> AlertRuleTests()
    {
        string[] files = Directory.GetFiles(AlertRuleTestsDirectory, "*.yml");
        Array.Sort(files, StringComparer.Ordinal);
        Assert.True(files.Length > 0, $"No promtool test files (*.yml) in {AlertRuleTestsDirectory}.");
        return files;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Resilink.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder containing Resilink.slnx above {AppContext.BaseDirectory}.");
    }
}
