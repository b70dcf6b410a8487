namespace Berth.Runtime.Cli.Commands;

/// <summary>Left-aligned columns padded to their widest cell, as Go's tabwriter prints them.</summary>
internal static class Table
{
    public static void Write(TextWriter writer, IReadOnlyList<string[]> rows)
    {
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
                widths[i] = Math.Max(widths[i], row[i].Length);
        }
        foreach (var row in rows)
        {
            var cells = row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i] + 3));
            writer.WriteLine(string.Concat(cells).TrimEnd());
        }
    }
}
