using System.Globalization;

namespace Berth.Engine.Spec;

/// <summary>Parses passwd and group text as libcontainer's user package does: bad lines are skipped.</summary>
internal static class UserDatabase
{
    internal sealed record PasswdEntry(string Name, uint Uid, uint Gid, string Home);

    internal sealed record GroupEntry(string Name, uint Gid, IReadOnlyList<string> Members);

    public static List<PasswdEntry> ParsePasswd(string? text)
    {
        var entries = new List<PasswdEntry>();
        foreach (var fields in Lines(text))
        {
            // name:password:uid:gid:gecos:home:shell
            if (fields.Length < 4 || !TryId(fields[2], out var uid) || !TryId(fields[3], out var gid))
                continue;
            entries.Add(new PasswdEntry(fields[0], uid, gid, fields.Length > 5 ? fields[5] : ""));
        }
        return entries;
    }

    public static List<GroupEntry> ParseGroup(string? text)
    {
        var entries = new List<GroupEntry>();
        foreach (var fields in Lines(text))
        {
            // name:password:gid:member,member
            if (fields.Length < 3 || !TryId(fields[2], out var gid))
                continue;
            var members = fields.Length > 3 && fields[3].Length > 0 ? fields[3].Split(',') : [];
            entries.Add(new GroupEntry(fields[0], gid, members));
        }
        return entries;
    }

    public static bool TryId(string text, out uint id) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private static IEnumerable<string[]> Lines(string? text)
    {
        if (text is null)
            yield break;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            yield return line.Split(':');
        }
    }
}
