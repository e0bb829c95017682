using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Packaging;

/// <summary>The outcome of building every C# block of README.md as one project.</summary>
/// <param name="Blocks">The blocks that went in.</param>
/// <param name="Succeeded">Whether the build exited 0.</param>
/// <param name="Output">What <c>dotnet build</c> printed (restore included).</param>
/// <param name="Folder">The project's folder (its own packages folder inside).</param>
/// <param name="Elapsed">How long restore and build took.</param>
internal sealed record ReadmeBuild(IReadOnlyList<ReadmeBlock> Blocks, bool Succeeded, string Output, string Folder, TimeSpan Elapsed)
{
    /// <summary>The built program; its entry point runs the Quick start block.</summary>
    public string Assembly => Path.Combine(Folder, "bin", "Debug", "net10.0", "ReadmeSnippets.dll");

    /// <summary>Where restore took a package from (its .nupkg.metadata), to prove the Resilink ones came from the packed folder.</summary>
    public string RestoredFrom(string packageId, string version)
    {
        string metadata = Path.Combine(Folder, "packages", packageId.ToLowerInvariant(), version.ToLowerInvariant(), ".nupkg.metadata");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(metadata));
        return json.RootElement.GetProperty("source").GetString()!;
    }

    /// <summary>Each block with the compiler's errors and warnings on its lines, then any outside every block.</summary>
    public string DescribeFailures()
    {
        var diagnostics = Regex.Matches(Output, @"^.*README\.md\((?<line>\d+),\d+\): (error|warning) .*$", RegexOptions.Multiline)
            .Select(m => (Line: int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), Text: m.Value.Trim()))
            .Distinct()
            .ToList();
        var lines = new List<string>();
        foreach (var block in Blocks)
        {
            var mine = diagnostics.Where(d => d.Line > block.FenceLine && d.Line <= block.FenceLine + block.Lines.Count).ToList();
            if (mine.Count > 0)
            {
                lines.Add($"{block}:");
                lines.AddRange(mine.Select(d => "  " + d.Text));
            }
        }
        return lines.Count > 0 ? string.Join('\n', lines) : "No diagnostic on a README line; the whole build output:\n" + Output;
    }
}

/// <summary>
/// Builds README.md's C# blocks the way a user would use them: a new project outside the repository that references
/// the packed packages (<see cref="PackedPackages"/>), restored from them and from the machine's usual feed.
/// </summary>
internal static class ReadmeProject
{
    /// <summary>The README's section whose block is a program the test runs.</summary>
    public const string QuickStartSection = "Quick start in code";

    private const string Name = "ReadmeSnippets";

    // Packages the README's blocks use besides Resilink's, each named in the prose around its block.
    private static readonly string[] ThirdPartyPackages = ["OpenTelemetry.Extensions.Hosting", "OpenTelemetry.Exporter.OpenTelemetryProtocol"];

    /// <summary>Writes the project into a new folder of <paramref name="packages"/>' temporary folder and builds it.</summary>
    public static async Task<ReadmeBuild> BuildAsync(PackedPackages packages, CancellationToken cancellationToken)
    {
        string readme = CliProcess.ProjectDirectory("README.md");
        var blocks = ReadmeBlocks.Parse(await File.ReadAllLinesAsync(readme, cancellationToken));
        var quickStart = blocks.Single(b => b.Section == QuickStartSection);
        string folder = packages.CreateFolder(Name);

        packages.WriteNuGetConfig(folder, withMachineSources: true);
        await File.WriteAllTextAsync(Path.Combine(folder, Name + ".csproj"), ProjectFile(packages), cancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(folder, "Program.cs"), $"await ReadmeSnippets.{ReadmeBlocks.ClassName(quickStart)}.RunAsync(args);\n", cancellationToken);
        foreach (var block in blocks)
        {
            await File.WriteAllTextAsync(
                Path.Combine(folder, ReadmeBlocks.ClassName(block) + ".cs"), ReadmeBlocks.ToSourceFile(block, readme), cancellationToken);
        }

        var clock = Stopwatch.StartNew();
        var (code, output) = await Dotnet.RunAsync(["build", folder, "-nodeReuse:false", "-clp:NoSummary"], folder, cancellationToken);
        return new ReadmeBuild(blocks, code == 0, output, folder, clock.Elapsed);
    }

    private static string ProjectFile(PackedPackages packages)
    {
        var references = packages.Libraries.Concat(ThirdPartyPackages.Select(id => KeyValuePair.Create(id, CentralVersion(id))))
            .Select(p => $"""    <PackageReference Include="{p.Key}" Version="{p.Value}" />""");
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <!-- Every block is wrapped in an async method, also one without await. -->
                <NoWarn>$(NoWarn);CS1998</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <!-- The hosting blocks are an ASP.NET Core app's. -->
                <FrameworkReference Include="Microsoft.AspNetCore.App" />
            {string.Join('\n', references)}
              </ItemGroup>
            </Project>
            """;
    }

    /// <summary>The version this repository pins for a package (Directory.Packages.props): the one it is tested with.</summary>
    private static string CentralVersion(string packageId) =>
        XDocument.Load(CliProcess.ProjectDirectory("Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == packageId).Attribute("Version")!.Value;
}
