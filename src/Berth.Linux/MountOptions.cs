using Berth.Errdefs;
using static Berth.Linux.Interop.Libc;

namespace Berth.Linux;

/// <summary>
/// The options of an OCI mount split the way mount(2) needs them: flags for the mount call,
/// propagation flags (which need calls of their own), flags cleared by the options, and the
/// rest as the data string the filesystem parses.
/// </summary>
public sealed record MountOptions(ulong Flags, ulong ClearedFlags, ulong Propagation, string Data, bool Recursive, bool Bind)
{
    private static readonly Dictionary<string, (bool Clear, ulong Flag)> FlagOptions = new()
    {
        ["ro"] = (false, MS_RDONLY), ["rw"] = (true, MS_RDONLY),
        ["nosuid"] = (false, MS_NOSUID), ["suid"] = (true, MS_NOSUID),
        ["nodev"] = (false, MS_NODEV), ["dev"] = (true, MS_NODEV),
        ["noexec"] = (false, MS_NOEXEC), ["exec"] = (true, MS_NOEXEC),
        ["sync"] = (false, MS_SYNCHRONOUS), ["async"] = (true, MS_SYNCHRONOUS),
        ["dirsync"] = (false, MS_DIRSYNC),
        ["remount"] = (false, MS_REMOUNT),
        ["mand"] = (false, MS_MANDLOCK), ["nomand"] = (true, MS_MANDLOCK),
        ["atime"] = (true, MS_NOATIME), ["noatime"] = (false, MS_NOATIME),
        ["diratime"] = (true, MS_NODIRATIME), ["nodiratime"] = (false, MS_NODIRATIME),
        ["relatime"] = (false, MS_RELATIME), ["norelatime"] = (true, MS_RELATIME),
        ["strictatime"] = (false, MS_STRICTATIME), ["nostrictatime"] = (true, MS_STRICTATIME),
        ["lazytime"] = (false, MS_LAZYTIME), ["nolazytime"] = (true, MS_LAZYTIME),
        ["symfollow"] = (true, MS_NOSYMFOLLOW), ["nosymfollow"] = (false, MS_NOSYMFOLLOW),
        ["silent"] = (false, MS_SILENT), ["loud"] = (true, MS_SILENT),
    };

    private static readonly Dictionary<string, ulong> PropagationOptions = new()
    {
        ["private"] = MS_PRIVATE, ["rprivate"] = MS_PRIVATE | MS_REC,
        ["shared"] = MS_SHARED, ["rshared"] = MS_SHARED | MS_REC,
        ["slave"] = MS_SLAVE, ["rslave"] = MS_SLAVE | MS_REC,
        ["unbindable"] = MS_UNBINDABLE, ["runbindable"] = MS_UNBINDABLE | MS_REC,
    };

    /// <summary>The option names Berth understands as flags (for `features`).</summary>
    public static IEnumerable<string> KnownOptions =>
        FlagOptions.Keys.Concat(PropagationOptions.Keys).Concat(["bind", "rbind", "tmpcopyup", "idmap", "ridmap"]);

    public static MountOptions Parse(IEnumerable<string>? options, string? type = null)
    {
        ulong flags = 0, cleared = 0, propagation = 0;
        var recursive = false;
        var bind = type == "bind";
        var data = new List<string>();
        foreach (var option in options ?? [])
        {
            if (option is "bind")
                bind = true;
            else if (option is "rbind")
                (bind, recursive) = (true, true);
            else if (FlagOptions.TryGetValue(option, out var f))
            {
                if (f.Clear)
                {
                    flags &= ~f.Flag;
                    cleared |= f.Flag;
                }
                else
                {
                    flags |= f.Flag;
                    cleared &= ~f.Flag;
                }
            }
            else if (PropagationOptions.TryGetValue(option, out var p))
                propagation |= p;
            else if (option is "tmpcopyup" or "idmap" or "ridmap" || (option.Length > 1 && option[0] == 'r' && FlagOptions.ContainsKey(option[1..])))
                throw BerthException.InvalidArgument($"mount option `{option}` is not supported");
            else if (option.Length > 0)
                data.Add(option);
        }
        if (bind)
            flags |= MS_BIND | (recursive ? MS_REC : 0);
        return new MountOptions(flags, cleared, propagation, string.Join(',', data), recursive, bind);
    }
}
