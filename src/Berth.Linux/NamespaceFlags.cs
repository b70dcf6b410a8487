using Berth.Errdefs;

namespace Berth.Linux;

/// <summary>CLONE_NEW* flags and the /proc/PID/ns file name for each OCI namespace type.</summary>
public static class NamespaceFlags
{
    public const int CLONE_FS = 0x00000200;
    public const int CLONE_NEWTIME = 0x00000080;
    public const int CLONE_NEWNS = 0x00020000;
    public const int CLONE_NEWCGROUP = 0x02000000;
    public const int CLONE_NEWUTS = 0x04000000;
    public const int CLONE_NEWIPC = 0x08000000;
    public const int CLONE_NEWUSER = 0x10000000;
    public const int CLONE_NEWPID = 0x20000000;
    public const int CLONE_NEWNET = 0x40000000;

    public static int Of(string type) => type switch
    {
        "pid" => CLONE_NEWPID,
        "network" => CLONE_NEWNET,
        "mount" => CLONE_NEWNS,
        "ipc" => CLONE_NEWIPC,
        "uts" => CLONE_NEWUTS,
        "user" => CLONE_NEWUSER,
        "cgroup" => CLONE_NEWCGROUP,
        "time" => CLONE_NEWTIME,
        _ => throw BerthException.InvalidArgument($"namespace type `{type}` is unknown"),
    };

    /// <summary>The name of the namespace's file under /proc/PID/ns.</summary>
    public static string ProcName(string type) => type switch
    {
        "network" => "net",
        "mount" => "mnt",
        _ => type,
    };
}
