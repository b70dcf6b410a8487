using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Oci.Runtime;
using Berth.Seccomp;

namespace Berth.Runtime.Init;

/// <summary>
/// The last steps before exec, in runc's order: bounding set, groups and ids (keeping
/// capabilities across the uid change), working directory, the other capability sets, umask,
/// no_new_privs and seccomp. Without no_new_privs the filter is loaded while we still hold
/// CAP_SYS_ADMIN; with it, as late as possible so the filter sees the fewest of our own calls.
/// </summary>
internal static class Identity
{
    private const int PR_SET_NO_NEW_PRIVS = 38;
    private const int PR_SET_KEEPCAPS = 8;

    public static unsafe void Apply(Process process, SeccompProgram? filter)
    {
        if (filter is not null && !process.NoNewPrivileges)
            SeccompLoader.Load(filter);
        var lastCap = Capabilities.LastCap();
        var caps = process.Capabilities;
        if (caps is not null)
            Capabilities.DropBounding(Capabilities.Mask(caps.Bounding, lastCap), lastCap);
        var user = process.User;
        var groups = (user.AdditionalGids ?? []).ToArray();
        fixed (uint* p = groups)
        {
            if (Libc.setgroups((nuint)groups.Length, p) != 0)
                throw Errno.Last("setgroups");
        }
        if (Libc.prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
            throw Errno.Last("keep capabilities");
        if (Libc.setresgid(user.Gid, user.Gid, user.Gid) != 0)
            throw Errno.Last($"setgid {user.Gid}");
        if (Libc.setresuid(user.Uid, user.Uid, user.Uid) != 0)
            throw Errno.Last($"setuid {user.Uid}");
        Libc.prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
        if (Libc.chdir(process.Cwd) != 0)
            throw Errno.Last($"chdir to cwd `{process.Cwd}` set in config.json");
        if (caps is not null)
        {
            Capabilities.Set(
                Capabilities.Mask(caps.Effective, lastCap),
                Capabilities.Mask(caps.Permitted, lastCap),
                Capabilities.Mask(caps.Inheritable, lastCap));
            Capabilities.SetAmbient(Capabilities.Mask(caps.Ambient, lastCap), lastCap);
        }
        Libc.umask(user.Umask ?? 0x12);
        if (process.NoNewPrivileges && Libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
            throw Errno.Last("set no_new_privs");
        if (filter is not null && process.NoNewPrivileges)
            SeccompLoader.Load(filter);
    }
}
