using Berth.Engine.Spec;
using Berth.Linux.Interop;
using Berth.Oci.Runtime;

namespace Berth.Engine.Containers;

/// <summary>The spec builder's questions about the host, answered from the real filesystem.</summary>
public sealed class HostFiles : IHostFiles
{
    public static HostFiles Instance { get; } = new();

    public bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    public string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public unsafe LinuxDevice? StatDevice(string path)
    {
        Statx st;
        if (Libc.statx(Libc.AT_FDCWD, path, 0, Libc.STATX_BASIC_STATS, &st) != 0)
            return null;
        var type = (st.Mode & 0xf000) switch
        {
            0x2000 => "c",
            0x6000 => "b",
            _ => null,
        };
        return type is null ? null : new LinuxDevice
        {
            Path = path,
            Type = type,
            Major = st.RdevMajor,
            Minor = st.RdevMinor,
            FileMode = (uint)(st.Mode & 0x1ff),
            Uid = st.Uid,
            Gid = st.Gid,
        };
    }

    /// <summary>Every device node under /dev except pts, shm and mqueue (docker's HostDevices for --privileged).</summary>
    public IEnumerable<LinuxDevice> AllDevices()
    {
        var pending = new Stack<string>();
        pending.Push("/dev");
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(dir).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var entry in entries)
            {
                if (entry is "/dev/pts" or "/dev/shm" or "/dev/mqueue" or "/dev/console")
                    continue;
                var info = new FileInfo(entry);
                if (info.LinkTarget is not null)
                    continue;
                if (Directory.Exists(entry))
                {
                    pending.Push(entry);
                    continue;
                }
                if (StatDevice(entry) is { } device)
                    yield return device;
            }
        }
    }
}
