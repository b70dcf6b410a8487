using System.Text;

namespace Berth.IntegrationTests.Build;

/// <summary>A readable difference of two image snapshots: config fields first, then paths.</summary>
public static class SnapshotDiff
{
    private const int MaxLines = 150;

    /// <summary>Null when the two agree; else one line per differing field or path, naming both builders.</summary>
    public static string? Compare(ImageSnapshot a, ImageSnapshot b)
    {
        var lines = new List<string>();
        foreach (var field in a.Config.Keys.Union(b.Config.Keys).Order(StringComparer.Ordinal))
        {
            var left = a.Config.GetValueOrDefault(field, "null");
            var right = b.Config.GetValueOrDefault(field, "null");
            if (left != right)
                lines.Add($"config {field}: {a.Builder} {left} | {b.Builder} {right}");
        }
        var leftFiles = a.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var rightFiles = b.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        foreach (var path in leftFiles.Keys.Union(rightFiles.Keys).Order(StringComparer.Ordinal))
        {
            var left = leftFiles.GetValueOrDefault(path);
            var right = rightFiles.GetValueOrDefault(path);
            if (left is null)
                lines.Add($"only in {b.Builder}: {right}");
            else if (right is null)
                lines.Add($"only in {a.Builder}: {left}");
            else if (left.ToString() != right.ToString())
                lines.Add($"differs: {a.Builder} {left}\n         {b.Builder} {right}");
        }
        if (lines.Count == 0)
            return null;
        var text = new StringBuilder($"{a.Builder} and {b.Builder} differ in {lines.Count} place(s):\n");
        foreach (var line in lines.Take(MaxLines))
            text.Append("  ").AppendLine(line);
        if (lines.Count > MaxLines)
            text.AppendLine($"  ... and {lines.Count - MaxLines} more");
        return text.ToString();
    }
}
