using Berth.Linux.Files;
using System.Globalization;
using Berth.Errdefs;

namespace Berth.Build.Copy;

/// <summary>A uid and gid that copied files are given.</summary>
internal readonly record struct Owner(uint Uid, uint Gid)
{
    public static readonly Owner Root = new(0, 0);

    /// <summary>
    /// Parses <c>--chown=user[:group]</c> as BuildKit does: a number is an id, anything else a name
    /// looked up in <paramref name="rootDirectory"/>'s <c>/etc/passwd</c> or <c>/etc/group</c>. A user
    /// without a group takes the user's primary group when named, the same number when numeric.
    /// Unlike BuildKit (which falls back to 0) an unknown name is an error, as in the legacy builder.
    /// </summary>
    public static Owner Parse(string chown, string rootDirectory)
    {
        ArgumentNullException.ThrowIfNull(chown);
        var parts = chown.Split(':');
        if (parts.Length > 2 || parts[0].Length == 0 || parts.Length == 2 && parts[1].Length == 0)
        {
            throw BerthException.InvalidArgument($"invalid chown `{chown}`: expected user[:group]");
        }
        uint uid, gid;
        if (TryId(parts[0], out var id))
        {
            uid = gid = id;
        }
        else
        {
            var entry = Lookup(rootDirectory, "/etc/passwd", parts[0], minFields: 4)
                ?? throw BerthException.NotFound($"chown `{chown}`: unable to find user {parts[0]}: no matching entries in passwd file");
            uid = ParseField(entry[2], "/etc/passwd", parts[0]);
            gid = ParseField(entry[3], "/etc/passwd", parts[0]);
        }
        if (parts.Length == 2)
        {
            if (TryId(parts[1], out var g))
            {
                gid = g;
            }
            else
            {
                var entry = Lookup(rootDirectory, "/etc/group", parts[1], minFields: 3)
                    ?? throw BerthException.NotFound($"chown `{chown}`: unable to find group {parts[1]}: no matching entries in group file");
                gid = ParseField(entry[2], "/etc/group", parts[1]);
            }
        }
        return new Owner(uid, gid);
    }

    private static bool TryId(string s, out uint id) =>
        uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private static uint ParseField(string field, string file, string name) =>
        TryId(field, out var id) ? id : throw BerthException.InvalidArgument($"{file}: bad id `{field}` for `{name}`");

    private const long MaxFileSize = 10 << 20;

    /// <summary>The colon-separated fields of the first line of <paramref name="file"/> whose name is <paramref name="name"/>.</summary>
    private static string[]? Lookup(string rootDirectory, string file, string name, int minFields)
    {
        var path = RootPath.Join(rootDirectory, file);
        if (NodeStat.Lstat(path) is not { } st)
        {
            return null;
        }
        if (!st.IsRegular)
        {
            throw BerthException.InvalidArgument($"read `{file}`: not a regular file");
        }
        if ((long)st.Size > MaxFileSize)
        {
            throw BerthException.InvalidArgument($"read `{file}`: larger than {MaxFileSize} bytes");
        }
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Wrap(e, $"read `{file}`");
        }
        foreach (var line in lines)
        {
            var fields = line.Trim().Split(':');
            if (fields.Length >= minFields && fields[0] == name)
            {
                return fields;
            }
        }
        return null;
    }
}
