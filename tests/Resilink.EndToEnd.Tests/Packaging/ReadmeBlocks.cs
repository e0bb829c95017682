using System.Text.RegularExpressions;

namespace Resilink.EndToEnd.Tests.Packaging;

/// <summary>One <c>```csharp</c> block of README.md.</summary>
/// <param name="FenceLine">The 1-based line of its opening fence; the code starts on the next line.</param>
/// <param name="Section">The <c>## </c> heading it is under.</param>
/// <param name="Prelude">What it is given (<see cref="ReadmeBlocks.Preludes"/>): <c>program</c> unless a
/// <c>&lt;!-- compile: NAME --&gt;</c> comment on the line above the fence names another.</param>
/// <param name="Lines">Its code, line by line.</param>
internal sealed record ReadmeBlock(int FenceLine, string Section, string Prelude, IReadOnlyList<string> Lines)
{
    /// <summary>How a failure names the block.</summary>
    public override string ToString() => $"README.md line {FenceLine} (```csharp under \"{Section}\", prelude {Prelude})";
}

/// <summary>What a README block may take for granted, and the parameters and usings the test gives it.</summary>
/// <param name="Parameters">The wrapping method's parameters: the names the block uses without declaring them.</param>
/// <param name="Usings">Namespaces imported for it, as a project of that kind imports them implicitly.</param>
internal sealed record ReadmePrelude(string Parameters, IReadOnlyList<string> Usings);

/// <summary>Reads the C# blocks out of README.md.</summary>
internal static partial class ReadmeBlocks
{
    /// <summary>
    /// The preludes a block can name with <c>&lt;!-- compile: NAME --&gt;</c> just above its fence. A block without
    /// one is a whole program (top-level statements, with <c>args</c>) of a console project.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, ReadmePrelude> Preludes = new Dictionary<string, ReadmePrelude>
    {
        ["program"] = new("string[] args", []),
        // An ASP.NET Core app's Program.cs: the Web SDK's implicit usings.
        ["web-app"] = new("string[] args", [
            "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing",
            "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting",
            "Microsoft.Extensions.Logging", "System.Net.Http.Json"]),
        // Service registrations, wherever an app makes them (builder.Services, ConfigureServices).
        ["services"] = new("Microsoft.Extensions.DependencyInjection.IServiceCollection services", ["Microsoft.Extensions.DependencyInjection"]),
        // Code next to a started node and a peer it knows.
        ["host"] = new("Resilink.Net.Host.Libp2pHost host, Resilink.Net.Identity.PeerId peer, byte[] payload", ["Resilink.Net.Host", "Resilink.Net.Identity"]),
    };

    /// <summary>Every <c>```csharp</c> block of the markdown in <paramref name="lines"/>, in order.</summary>
    public static IReadOnlyList<ReadmeBlock> Parse(IReadOnlyList<string> lines)
    {
        var blocks = new List<ReadmeBlock>();
        string section = "(top)";
        for (int i = 0; i < lines.Count; i++)
        {
            if (lines[i].StartsWith("## ", StringComparison.Ordinal))
            {
                section = lines[i][3..].Trim();
            }
            else if (lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                int fence = i;
                int end = i + 1;
                while (end < lines.Count && !lines[end].StartsWith("```", StringComparison.Ordinal))
                {
                    end++;
                }
                if (lines[fence].Trim() is "```csharp" or "```cs" or "```c#")
                {
                    var marker = fence > 0 ? CompileMarker().Match(lines[fence - 1]) : Match.Empty;
                    string prelude = marker.Success ? marker.Groups["prelude"].Value : "program";
                    blocks.Add(new ReadmeBlock(fence + 1, section, prelude, [.. lines.Skip(fence + 1).Take(end - fence - 1)]));
                }
                i = end; // past the closing fence: a block's lines are never headings or fences
            }
        }
        return blocks;
    }

    /// <summary>
    /// The block as a C# file of its own: its leading <c>using</c> lines at the top, the rest as the body of
    /// <c>ReadmeLine{N}.RunAsync(prelude parameters)</c>. <c>#line</c> directives point every diagnostic at README.md's
    /// own line numbers.
    /// </summary>
    public static string ToSourceFile(ReadmeBlock block, string readmePath)
    {
        var prelude = Preludes.TryGetValue(block.Prelude, out var known)
            ? known
            : throw new InvalidOperationException($"{block}: no prelude named '{block.Prelude}'; known: {string.Join(", ", Preludes.Keys)}.");
        int codeLine = block.FenceLine + 1;
        var file = new System.Text.StringBuilder();
        var hoisted = new HashSet<string>(StringComparer.Ordinal);
        int first = 0;
        for (; first < block.Lines.Count && (UsingDirective().Match(block.Lines[first]) is { Success: true } || block.Lines[first].Trim().Length == 0); first++)
        {
            if (UsingDirective().Match(block.Lines[first]) is { Success: true } directive)
            {
                hoisted.Add(directive.Groups["namespace"].Value);
                file.AppendLine($"#line {codeLine + first} \"{readmePath}\"").AppendLine(block.Lines[first]);
            }
        }
        file.AppendLine("#line default");
        foreach (string name in prelude.Usings.Where(u => !hoisted.Contains(u)))
        {
            file.AppendLine($"using {name};");
        }
        file.AppendLine($$"""
            namespace ReadmeSnippets;

            internal static class {{ClassName(block)}}
            {
                public static async Task RunAsync({{prelude.Parameters}})
                {
            #line {{codeLine + first}} "{{readmePath}}"
            """);
        foreach (string line in block.Lines.Skip(first))
        {
            file.AppendLine(line);
        }
        file.AppendLine("""
            #line default
                }
            }
            """);
        return file.ToString();
    }

    /// <summary>The class a block compiles into, named after its line: <c>ReadmeLine127</c>.</summary>
    public static string ClassName(ReadmeBlock block) => $"ReadmeLine{block.FenceLine}";

    [GeneratedRegex(@"^\s*<!--\s*compile:\s*(?<prelude>[\w-]+)\s*-->\s*$")]
    private static partial Regex CompileMarker();

    // `using Name.Space;`, `using static …;`, `using Alias = …;`, a comment after it allowed — not `using var`, `using (…)` or `await using`.
    [GeneratedRegex(@"^using\s+(static\s+)?(?<namespace>[\w.]+(\s*=\s*[\w.<>]+)?)\s*;\s*(//.*)?$")]
    private static partial Regex UsingDirective();
}
