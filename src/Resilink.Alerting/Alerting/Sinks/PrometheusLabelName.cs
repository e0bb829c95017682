namespace Resilink.Alerting;

/// <summary>Makes any string a valid Prometheus label name: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>.</summary>
internal static class PrometheusLabelName
{
    public static string Sanitize(string name)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        return string.Create(name.Length + (char.IsAsciiDigit(name[0]) ? 1 : 0), name, static (span, source) =>
        {
            int offset = 0;
            if (char.IsAsciiDigit(source[0]))
            {
                span[0] = '_';
                offset = 1;
            }

            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i + offset] = char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_';
            }
        });
    }
}
