using Berth.Errdefs;

namespace Berth.Engine.Spec;

/// <summary>
/// Resolves docker's <c>--user</c> forms — <c>name</c>, <c>uid</c>, <c>name:group</c>,
/// <c>uid:gid</c> (and mixes) — against the rootfs's passwd and group files, as libcontainer's
/// <c>GetExecUser</c> does for docker: empty means root (0:0); a numeric uid need not exist in
/// passwd; a name must, else InvalidArgument
/// "unable to find user NAME: no matching entries in passwd file" (and likewise for groups).
/// Without an explicit group, the primary gid is the passwd entry's and the supplementary groups
/// are the groups listing the user as a member; <c>--group-add</c> names or gids are appended.
/// Ids above 2147483647 are refused, as docker does.
/// </summary>
public static class UserResolver
{
    private const uint MaxId = int.MaxValue;

    public static ResolvedUser Resolve(string? user, IReadOnlyList<string>? groupAdd, IRootfsUsers files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var spec = user ?? "";
        var colon = spec.IndexOf(':');
        var userPart = colon < 0 ? spec : spec[..colon];
        var groupPart = colon < 0 ? "" : spec[(colon + 1)..];

        var passwd = UserDatabase.ParsePasswd(files.ReadPasswd());
        var groupText = new Lazy<List<UserDatabase.GroupEntry>>(() => UserDatabase.ParseGroup(files.ReadGroup()));

        uint uid = 0, gid = 0;
        var home = "/";
        string? name = null;
        if (userPart.Length == 0)
            userPart = "0";
        var isNumeric = UserDatabase.TryId(userPart, out var numericUid);
        var entry = passwd.Find(p => isNumeric ? p.Uid == numericUid : p.Name == userPart);
        if (entry is not null)
        {
            (uid, gid, home, name) = (entry.Uid, entry.Gid, entry.Home.Length > 0 ? entry.Home : "/", entry.Name);
        }
        else if (isNumeric)
        {
            uid = CheckRange(numericUid);
        }
        else
        {
            throw BerthException.InvalidArgument($"unable to find user {userPart}: no matching entries in passwd file");
        }

        var additional = new List<uint>();
        if (groupPart.Length > 0)
        {
            gid = LookupGroup(groupPart, groupText.Value);
        }
        else if (name is not null)
        {
            foreach (var g in groupText.Value)
            {
                if (g.Gid != gid && g.Members.Contains(name) && !additional.Contains(g.Gid))
                    additional.Add(g.Gid);
            }
        }
        foreach (var extra in groupAdd ?? [])
            additional.Add(LookupGroup(extra, groupText.Value));
        return new ResolvedUser { Uid = uid, Gid = gid, AdditionalGids = additional, Home = home };
    }

    private static uint LookupGroup(string group, List<UserDatabase.GroupEntry> groups)
    {
        if (UserDatabase.TryId(group, out var gid))
            return CheckRange(gid);
        var entry = groups.Find(g => g.Name == group);
        return entry?.Gid
            ?? throw BerthException.InvalidArgument($"unable to find group {group}: no matching entries in group file");
    }

    private static uint CheckRange(uint id) => id <= MaxId
        ? id
        : throw BerthException.InvalidArgument($"uids and gids must be in range 0-{MaxId}");
}
