using Berth.Build.Parser;

namespace Berth.Build.Instructions;

/// <summary>A typed Dockerfile instruction; <see cref="Describe"/> is a one-line dump for tests and logs.</summary>
public abstract record Instruction(SourcePosition Position)
{
    public abstract string Describe();

    internal static string List(IReadOnlyList<string> items) => "[" + string.Join(", ", items.Select(Quote)) + "]";

    internal static string Quote(string? s) => s is null ? "null" : "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";

    internal static string Docs(IReadOnlyList<Heredoc> heredocs) => heredocs.Count == 0 ? "" :
        " heredocs=[" + string.Join(", ", heredocs.Select(h => $"{h.Name}(expand={h.Expand.ToString().ToLowerInvariant()}, chomp={h.Chomp.ToString().ToLowerInvariant()}): {Quote(h.Content)}")) + "]";
}
