namespace Resilink.Core.Tests.Health.Export;

/// <summary>
/// Splits Prometheus exposition text into families and checks what promtool does not: every family has
/// HELP then TYPE, appears once, and its samples follow it without interruption.
/// </summary>
internal static class ExpositionFamilies
{
    public sealed record Family(string Name, string Type, List<string> Samples);

    public static List<Family> Parse(string exposition)
    {
        Assert.EndsWith("\n", exposition, StringComparison.Ordinal);
        var families = new List<Family>();
        string? pendingHelp = null;
        foreach (string line in exposition[..^1].Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                Assert.True(pendingHelp is null, $"Two HELP lines in a row: {line}");
                pendingHelp = line.Split(' ')[2];
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ');
                Assert.True(pendingHelp == parts[2], $"TYPE without a HELP just before it: {line}");
                Assert.DoesNotContain(families, f => f.Name == parts[2]);
                families.Add(new Family(parts[2], parts[3], []));
                pendingHelp = null;
            }
            else
            {
                Assert.True(families.Count > 0 && pendingHelp is null, $"Sample outside a family: {line}");
                Family current = families[^1];
                Assert.True(
                    BelongsTo(SampleName(line), current),
                    $"Sample of another family inside {current.Name}: {line}");
                current.Samples.Add(line);
            }
        }

        return families;
    }

    private static string SampleName(string line) => line[..line.IndexOfAny(['{', ' '])];

    private static bool BelongsTo(string sampleName, Family family) =>
        sampleName == family.Name
        || (family.Type == "summary" && (sampleName == family.Name + "_count" || sampleName == family.Name + "_sum"));
}
