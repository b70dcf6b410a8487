using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Files;
using Berth.Linux.Interop;
using Berth.Oci.Runtime;
using static Berth.Linux.Interop.Libc;

namespace Berth.Runtime.Init;

/// <summary>
/// Builds the container's filesystem inside its new mount namespace: makes the rootfs a mount
/// point, mounts what the config lists under it, creates devices and /dev links, switches root
/// (pivot_root, or MS_MOVE + chroot with --no-pivot), then applies readonly and masked paths.
/// Everything happens in the container's private mount namespace, so nothing leaks to the host
/// and nothing needs undoing if a step fails: the namespace dies with the init.
/// A config without a mount namespace shares the host's mounts: then, as crun does, nothing
/// is mounted and the switch of root is a plain chroot into the rootfs.
/// </summary>
internal sealed class Rootfs(Spec spec, string rootfs, string bundle)
{
    /// <summary>
    /// Mount points and their parents that the rootfs lacks are made 0755, as runc and crun make
    /// them; the init runs with umask 0, so the default 0777 would reach the container (and a
    /// build's layers) as world-writable directories.
    /// </summary>
    private const uint MountPointMode = 0x1ed; // 0755

    /// <summary>
    /// mkdir -p with <see cref="MountPointMode"/> for every directory it makes. (.NET's
    /// CreateDirectory gives its mode to the last directory only; the parents get 0777.)
    /// </summary>
    private static void MakeDirectories(string path)
    {
        if (Directory.Exists(path))
            return;
        var parent = Path.GetDirectoryName(path);
        if (parent is not null)
            MakeDirectories(parent);
        if (mkdir(path, MountPointMode) != 0)
        {
            var e = Errno.Last($"mkdir `{path}`");
            if (e.Errno != Errno.EEXIST)
                throw e;
        }
    }

    private static readonly LinuxDevice[] DefaultDevices =
    [
        new() { Path = "/dev/null", Type = "c", Major = 1, Minor = 3, FileMode = 0x1b6 },
        new() { Path = "/dev/zero", Type = "c", Major = 1, Minor = 5, FileMode = 0x1b6 },
        new() { Path = "/dev/full", Type = "c", Major = 1, Minor = 7, FileMode = 0x1b6 },
        new() { Path = "/dev/random", Type = "c", Major = 1, Minor = 8, FileMode = 0x1b6 },
        new() { Path = "/dev/urandom", Type = "c", Major = 1, Minor = 9, FileMode = 0x1b6 },
        new() { Path = "/dev/tty", Type = "c", Major = 5, Minor = 0, FileMode = 0x1b6 },
    ];

    private readonly List<string> _remountReadonly = [];

    /// <summary>Everything before the switch of root but the cgroup mounts (see <see cref="MountCgroups"/>).</summary>
    public void Prepare()
    {
        if (!OwnMountNamespace)
            return;
        var propagation = Propagation(spec.Linux?.RootfsPropagation) ?? (MS_SLAVE | MS_REC);
        Mounts.SetPropagation("/", propagation);
        MakeParentPrivate(rootfs);
        Mounts.Mount(rootfs, rootfs, "bind", MS_BIND | MS_REC, null);
        var oldUmask = umask(0);
        try
        {
            foreach (var mount in spec.Mounts ?? [])
            {
                if (mount.Type != "cgroup")
                    MountOne(mount);
            }
            if (!DevIsBindMounted())
            {
                foreach (var device in DefaultDevices.Concat(spec.Linux?.Devices ?? []))
                    CreateDevice(device);
                CreateDevSymlinks();
            }
        }
        finally
        {
            umask(oldUmask);
        }
    }

    /// <summary>
    /// The cgroup mounts, made last: they must show the container's own cgroup namespace, which
    /// exists only once the init sits in its cgroup.
    /// </summary>
    public void MountCgroups()
    {
        if (!OwnMountNamespace)
            return;
        foreach (var mount in spec.Mounts ?? [])
        {
            if (mount.Type == "cgroup")
                MountOne(mount);
        }
    }

    /// <summary>Makes the rootfs the process's root; the old root is detached.</summary>
    public void SwitchRoot(bool noPivot)
    {
        if (chdir(rootfs) != 0)
            throw Errno.Last($"chdir `{rootfs}`");
        if (!OwnMountNamespace)
        {
            if (chroot(".") != 0)
                throw Errno.Last("chroot");
        }
        else if (noPivot)
        {
            Mounts.Mount(rootfs, "/", null, MS_MOVE, null);
            if (chroot(".") != 0)
                throw Errno.Last("chroot");
        }
        else
        {
            var oldRoot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC, 0);
            if (oldRoot < 0)
                throw Errno.Last("open `/`");
            try
            {
                Mounts.PivotRoot(".", ".");
                if (fchdir(oldRoot) != 0)
                    throw Errno.Last("fchdir to the old root");
                // Make the old root a slave first so that detaching it cannot reach the host.
                Mounts.SetPropagation(".", MS_SLAVE | MS_REC);
                Mounts.Unmount(".", MNT_DETACH);
            }
            finally
            {
                close(oldRoot);
            }
        }
        if (chdir("/") != 0)
            throw Errno.Last("chdir `/`");
    }

    /// <summary>After the switch: readonly and masked paths, readonly rootfs, final propagation.</summary>
    public void Finish()
    {
        if (!OwnMountNamespace)
            return;
        foreach (var path in _remountReadonly)
            Mounts.Mount(null, path, null, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC, null);
        foreach (var path in spec.Linux?.ReadonlyPaths ?? [])
            MakeReadonly(path);
        foreach (var path in spec.Linux?.MaskedPaths ?? [])
            Mask(path);
        if (spec.Root?.Readonly == true)
            Mounts.RemountBind("/", MS_RDONLY);
        if (Propagation(spec.Linux?.RootfsPropagation) is { } propagation)
            Mounts.SetPropagation("/", propagation);
    }

    private void MountOne(Mount mount)
    {
        RootPath.RequireAbsolute(mount.Destination, "mount destination");
        var type = mount.Type ?? "";
        var options = MountOptions.Parse(mount.Options, type);
        var target = RootPath.Join(rootfs, mount.Destination);
        try
        {
            if (type == "cgroup")
                MountCgroup(target, options, OwnCgroupNamespace);
            else if (options.Bind)
                MountBind(mount, target, options);
            else
                MountFilesystem(mount, type, target, options);
            if (options.Propagation != 0)
                Mounts.SetPropagation(target, options.Propagation);
        }
        catch (BerthException e)
        {
            throw e.Wrap($"mount `{mount.Destination}`");
        }
    }

    private void MountBind(Mount mount, string target, MountOptions options)
    {
        var source = mount.Source ?? throw BerthException.InvalidArgument("a bind mount has no source");
        if (!source.StartsWith('/'))
            source = Path.Combine(bundle, source);
        if (Directory.Exists(source))
            MakeDirectories(target);
        else if (File.Exists(source) || File.Exists(source.TrimEnd('/')))
            EnsureFile(target);
        else
            throw Errno.Exception($"stat source `{source}`", Errno.ENOENT);
        Mounts.Mount(source, target, "bind", MS_BIND | (options.Recursive ? MS_REC : 0), null);
        var extra = options.Flags & ~(MS_BIND | MS_REC);
        if (extra != 0)
            Mounts.RemountBind(target, extra);
    }

    private void MountFilesystem(Mount mount, string type, string target, MountOptions options)
    {
        MakeDirectories(target);
        var flags = options.Flags;
        // /dev stays writable until devices are created in it; it is made readonly in Finish.
        if (mount.Destination.TrimEnd('/') == "/dev" && (flags & MS_RDONLY) != 0)
        {
            flags &= ~MS_RDONLY;
            _remountReadonly.Add("/dev");
        }
        try
        {
            Mounts.Mount(mount.Source ?? type, target, type, flags, options.Data);
        }
        catch (BerthException e) when (type == "sysfs" && e.Errno == Errno.EPERM)
        {
            // Without a private network namespace the kernel refuses a new sysfs: bind the host's.
            Mounts.Mount("/sys", target, "bind", MS_BIND | MS_REC, null);
            Mounts.RemountBind(target, flags | MS_RDONLY);
        }
        catch (BerthException e) when (type == "mqueue" && e.Errno == Errno.EPERM)
        {
            Mounts.Mount("/dev/mqueue", target, "bind", MS_BIND, null);
            Mounts.RemountBind(target, flags);
        }
    }

    private bool OwnMountNamespace => (spec.Linux?.Namespaces ?? []).Any(n => n.Type == NamespaceType.Mount);

    private bool OwnCgroupNamespace => (spec.Linux?.Namespaces ?? []).Any(n => n.Type == NamespaceType.Cgroup);

    /// <summary>
    /// Mounts the cgroup filesystem. On a unified host this is one cgroup2 mount; on v1 (and
    /// hybrid) a tmpfs holding one mount per hierarchy, as runc lays it out. Inside a cgroup
    /// namespace each shows the container's own cgroup as its root; without one, a new cgroup
    /// mount would show the host's whole hierarchy, so (as runc does) each hierarchy is a bind
    /// mount of the container's own cgroup directory instead.
    /// </summary>
    private static void MountCgroup(string target, MountOptions options, bool ownNamespace)
    {
        MakeDirectories(target);
        var flags = options.Flags & ~MS_BIND;
        var hierarchies = CgroupMounts.Read();
        if (hierarchies.Count == 1 && hierarchies[0].Type == "cgroup2" && hierarchies[0].MountPoint == "/sys/fs/cgroup")
        {
            Mounts.Mount("cgroup2", target, "cgroup2", flags, null);
            return;
        }
        Mounts.Mount("tmpfs", target, "tmpfs", (flags & ~MS_RDONLY) | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755");
        foreach (var h in hierarchies)
        {
            var name = Path.GetFileName(h.MountPoint);
            var dir = Path.Combine(target, name);
            MakeDirectories(dir);
            if (!ownNamespace && CgroupMounts.OwnDirectory(h) is { } own && Directory.Exists(own))
            {
                Mounts.Mount(own, dir, "bind", MS_BIND | MS_REC, null);
                Mounts.RemountBind(dir, flags & ~MS_REC);
            }
            else if (h.Type == "cgroup2")
                Mounts.Mount("cgroup2", dir, "cgroup2", flags, null);
            else
                Mounts.Mount("cgroup", dir, "cgroup", flags, h.Options);
            if (name.Contains(','))
            {
                foreach (var part in name.Split(','))
                {
                    var link = Path.Combine(target, part);
                    if (!Path.Exists(link))
                        File.CreateSymbolicLink(link, name);
                }
            }
        }
        if ((flags & MS_RDONLY) != 0)
            Mounts.Mount(null, target, null, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755");
    }

    private bool DevIsBindMounted() =>
        (spec.Mounts ?? []).Any(m => m.Destination.TrimEnd('/') == "/dev" && MountOptions.Parse(m.Options, m.Type).Bind);

    private void CreateDevice(LinuxDevice device)
    {
        RootPath.RequireAbsolute(device.Path, "device path");
        var target = RootPath.Join(rootfs, device.Path);
        uint typeBits = device.Type switch
        {
            "c" or "u" => 0x2000,
            "b" => 0x6000,
            "p" => 0x1000,
            _ => throw BerthException.InvalidArgument($"device `{device.Path}` has unknown type `{device.Type}`"),
        };
        MakeDirectories(Path.GetDirectoryName(target)!);
        if (unlink(target) != 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() is not (Errno.ENOENT))
            throw Errno.Last($"remove `{device.Path}` before creating the device");
        var mode = (device.FileMode ?? 0x1b6) & 0xfff;
        if (mknod(target, mode | typeBits, MakeDev(device.Major, device.Minor)) != 0)
            throw Errno.Last($"create device `{device.Path}`");
        if (lchown(target, device.Uid ?? 0, device.Gid ?? 0) != 0)
            throw Errno.Last($"chown device `{device.Path}`");
    }

    internal static ulong MakeDev(long major, long minor)
    {
        var ma = (ulong)major;
        var mi = (ulong)minor;
        return ((ma & 0xfffff000) << 32) | ((ma & 0xfff) << 8) | ((mi & 0xffffff00) << 12) | (mi & 0xff);
    }

    private void CreateDevSymlinks()
    {
        var dev = RootPath.Join(rootfs, "/dev");
        MakeDirectories(dev);
        (string Link, string Target)[] links =
        [
            ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2"),
        ];
        foreach (var (link, target) in links)
            TrySymlink(target, Path.Combine(dev, link));
        if (File.Exists("/proc/kcore"))
            TrySymlink("/proc/kcore", Path.Combine(dev, "core"));
        if ((spec.Mounts ?? []).Any(m => m.Destination.TrimEnd('/') == "/dev/pts"))
        {
            var ptmx = Path.Combine(dev, "ptmx");
            unlink(ptmx);
            if (symlink("pts/ptmx", ptmx) != 0)
                throw Errno.Last("link `/dev/ptmx`");
        }
    }

    private static void TrySymlink(string target, string link)
    {
        if (symlink(target, link) != 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != Errno.EEXIST)
            throw Errno.Last($"link `{link}`");
    }

    private static void MakeReadonly(string path)
    {
        if (!Path.Exists(path))
            return;
        Mounts.Mount(path, path, "bind", MS_BIND | MS_REC, null);
        Mounts.RemountBind(path, MS_RDONLY | MS_REC);
    }

    private static void Mask(string path)
    {
        if (Directory.Exists(path))
            Mounts.Mount("tmpfs", path, "tmpfs", MS_RDONLY, null);
        else if (Path.Exists(path))
            Mounts.Mount("/dev/null", path, "bind", MS_BIND, null);
    }

    private static void EnsureFile(string path)
    {
        MakeDirectories(Path.GetDirectoryName(path)!);
        if (!Path.Exists(path))
            File.WriteAllBytes(path, []);
    }

    /// <summary>pivot_root needs the rootfs's parent mount to be private (not shared).</summary>
    private static void MakeParentPrivate(string path)
    {
        var mountPoint = CgroupMounts.MountPointOf(path);
        try
        {
            Mounts.SetPropagation(mountPoint, MS_PRIVATE);
        }
        catch (BerthException e) when (e.Errno == Errno.EINVAL)
        {
            // Not a mount point after all (racy mountinfo): harmless.
        }
    }

    private static ulong? Propagation(string? name) => name switch
    {
        null or "" => null,
        "shared" => MS_SHARED,
        "rshared" => MS_SHARED | MS_REC,
        "slave" => MS_SLAVE,
        "rslave" => MS_SLAVE | MS_REC,
        "private" => MS_PRIVATE,
        "rprivate" => MS_PRIVATE | MS_REC,
        "unbindable" => MS_UNBINDABLE,
        "runbindable" => MS_UNBINDABLE | MS_REC,
        _ => throw BerthException.InvalidArgument($"rootfsPropagation `{name}` is unknown"),
    };
}
