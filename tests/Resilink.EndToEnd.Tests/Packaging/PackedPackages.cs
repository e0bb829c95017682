using System.IO.Compression;
using System.Xml.Linq;
using Resilink.EndToEnd.Tests.Support;
using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Packaging;

/// <summary>
/// Every package of <c>src/</c> (the libraries and the <c>resilink</c> tool) as <c>dotnet pack</c> makes them, packed
/// once per test run into a temporary folder that the packaging tests install from like a user's feed.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    // A Release build of the tool and every library from scratch on a fresh clone: about a minute on 2 loaded cores.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    /// <summary>The <c>resilink</c> tool's package ID.</summary>
    public const string ToolId = "resilink";

    private readonly TempDirectory _temp = new("resilink-packages-");

    /// <summary>The folder the packages are in: the local feed.</summary>
    public string Feed => _temp.File("nupkg");

    /// <summary>Each package's version by its ID (<c>Resilink.Core</c> → <c>0.1.0</c>); prerelease packages have their own.</summary>
    public IReadOnlyDictionary<string, string> Versions { get; private set; } = new Dictionary<string, string>();

    /// <summary>The libraries' packages (every one but the tool's), by ID with their versions.</summary>
    public IEnumerable<KeyValuePair<string, string>> Libraries => Versions.Where(p => !p.Key.Equals(ToolId, StringComparison.OrdinalIgnoreCase));

    /// <summary>A new folder of this test run's temporary folder, deleted with it.</summary>
    public string CreateFolder(string name) => Directory.CreateDirectory(_temp.File(name)).FullName;

    public async Task InitializeAsync()
    {
        using var deadline = new CancellationTokenSource(Patience);
        // One MSBuild run packs them all (the dependencies build once): a traversal project over src/*/*.csproj.
        // --no-restore: the test project's build restored them already, and a restore here would rewrite obj/ files a
        // concurrent Debug build reads; Release keeps this build's outputs apart from that one's.
        string traversal = _temp.File("pack.proj");
        await File.WriteAllTextAsync(traversal, $"""
            <Project>
              <ItemGroup><Packable Include="{CliProcess.ProjectDirectory("src")}/*/*.csproj" /></ItemGroup>
              <Target Name="Pack"><MSBuild Projects="@(Packable)" Targets="Pack" BuildInParallel="true" /></Target>
            </Project>
            """, deadline.Token);
        await Dotnet.RunOrFailAsync(
            ["pack", traversal, "-c", "Release", "--no-restore", "-nodeReuse:false", "-o", Feed], workingDirectory: null, deadline.Token);
        Versions = Directory.GetFiles(Feed, "*.nupkg").Select(ReadIdentity).ToDictionary(p => p.Id, p => p.Version, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Writes a <c>nuget.config</c> into <paramref name="folder"/> with a packages folder of its own, so nothing comes
    /// from (or lands in) the user's cache, where a stale copy of this version could hide the new one.
    /// </summary>
    /// <param name="folder">Where the configuration goes (a project folder, or one given to <c>--configfile</c>).</param>
    /// <param name="withMachineSources">
    /// False: the packed folder is the only source (a tool package carries everything it needs, and nuget.org is never
    /// asked for a package of the same name). True: the machine's own sources stay (no <c>&lt;clear/&gt;</c>), for the
    /// libraries' dependencies (OpenTelemetry, Polly, …), which a user gets from their usual feed too.
    /// </param>
    /// <returns>The configuration's path.</returns>
    public string WriteNuGetConfig(string folder, bool withMachineSources)
    {
        string path = Path.Combine(folder, "nuget.config");
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(folder, "packages")}" /></config>
              <packageSources>{(withMachineSources ? "" : "<clear />")}<add key="packed" value="{Feed}" /></packageSources>
            </configuration>
            """);
        return path;
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A package's ID and version, from the .nuspec inside it.</summary>
    private static (string Id, string Version) ReadIdentity(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        using var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        return (Value("id"), Value("version"));
    }
}
