namespace Berth.Engine.Monitor;

/// <summary>
/// Turns what a runtime printed when <c>create</c> or <c>start</c> failed into docker's message
/// and exit code: 127 when the executable is not found, 126 when it cannot be invoked, else 125.
/// </summary>
public static class RuntimeErrors
{
    /// <summary>Docker's exit code for a runtime error message.</summary>
    public static int ExitCodeFor(string message)
    {
        if (message.Contains("executable file not found", StringComparison.OrdinalIgnoreCase)
            || message.Contains("no such file or directory", StringComparison.OrdinalIgnoreCase))
            return 127;
        if (message.Contains("permission denied", StringComparison.OrdinalIgnoreCase)
            || message.Contains("is a directory", StringComparison.OrdinalIgnoreCase))
            return 126;
        return 125;
    }

    /// <summary>
    /// The message in a runtime's stderr: runc's logrus line <c>level=error msg="…"</c> is
    /// unquoted, other lines are kept as they are; blank lines are dropped.
    /// </summary>
    public static string Clean(string stderr)
    {
        var lines = new List<string>();
        foreach (var raw in stderr.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
                continue;
            var msg = line.IndexOf("msg=\"", StringComparison.Ordinal);
            if (msg >= 0 && line.EndsWith('"'))
                line = line[(msg + 5)..^1].Replace("\\\"", "\"").Replace("\\\\", "\\");
            lines.Add(line);
        }
        return string.Join("; ", lines);
    }
}
