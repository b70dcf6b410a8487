using System.Text;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Cgroups.Fs;

/// <summary>
/// Reads and writes cgroup control files. Every write is one write(2) on a fresh descriptor,
/// because the kernel parses each write as one command (devices.allow, io.max take one rule
/// per write) and reports a rejected value as the write's errno, which a buffered stream
/// would hide. Errors name the value and the file: "write `100` to `/…/cpu.max`: invalid argument".
/// </summary>
internal sealed class CgroupFs
{
    private readonly Action<string, string>? _onWrite;

    public CgroupFs(Action<string, string>? onWrite = null)
    {
        _onWrite = onWrite;
    }

    public static string Join(string dir, string file) => dir.EndsWith('/') ? dir + file : dir + "/" + file;

    public static bool Exists(string dir, string file) => File.Exists(Join(dir, file));

    public unsafe void Write(string dir, string file, string value)
    {
        var path = Join(dir, file);
        var fd = Libc.open(path, Libc.O_WRONLY | Libc.O_TRUNC | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw Errno.Last($"write `{value}` to `{path}`");
        }
        try
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            fixed (byte* p = bytes)
            {
                nint n;
                do
                {
                    n = Libc.write(fd, p, (nuint)bytes.Length);
                }
                while (n < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Errno.EINTR);
                if (n < 0)
                {
                    throw Errno.Last($"write `{value}` to `{path}`");
                }
            }
        }
        finally
        {
            Libc.close(fd);
        }
        _onWrite?.Invoke(path, value);
    }

    /// <summary>Writes only when the file exists (optional knobs such as memory.swappiness on some kernels).</summary>
    public bool WriteIfExists(string dir, string file, string value)
    {
        if (!Exists(dir, file))
        {
            return false;
        }
        Write(dir, file, value);
        return true;
    }

    /// <summary>The file's text, or null when it does not exist.</summary>
    public static string? TryRead(string dir, string file)
    {
        var path = Join(dir, file);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e)
        {
            throw BerthException.Wrap(e, $"read `{path}`");
        }
    }

    public static string Read(string dir, string file)
    {
        var path = Join(dir, file);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e)
        {
            throw BerthException.Wrap(e, $"read `{path}`");
        }
    }

    /// <summary>A file holding one unsigned number; "max" reads as <see cref="ulong.MaxValue"/>.</summary>
    public static ulong ReadUInt(string dir, string file) => ParseUInt(Read(dir, file).Trim(), dir, file);

    public static ulong? TryReadUInt(string dir, string file) =>
        TryRead(dir, file) is { } text ? ParseUInt(text.Trim(), dir, file) : null;

    public static ulong ParseUInt(string text, string dir, string file)
    {
        if (text == "max")
        {
            return ulong.MaxValue;
        }
        if (ulong.TryParse(text, System.Globalization.NumberStyles.None, null, out var value))
        {
            return value;
        }
        // Some v1 files report unlimited as -1 (e.g. cpu.cfs_quota_us) or a negative value.
        if (long.TryParse(text, out var signed) && signed < 0)
        {
            return 0;
        }
        throw BerthException.InvalidArgument($"parse `{Join(dir, file)}`: unexpected value `{text}`");
    }

    /// <summary>Lines of "key value" (memory.stat, cpu.stat, cgroup.events).</summary>
    public static Dictionary<string, ulong> ReadKeyValues(string dir, string file)
    {
        var result = new Dictionary<string, ulong>(StringComparer.Ordinal);
        if (TryRead(dir, file) is not { } text)
        {
            return result;
        }
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                continue;
            }
            result[parts[0]] = ParseUInt(parts[1], dir, file);
        }
        return result;
    }

    public static void MakeDirectory(string path)
    {
        if (Libc.mkdir(path, 0x1ED /* 0755 */) < 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno != Errno.EEXIST)
            {
                throw Errno.Exception($"create cgroup `{path}`", errno);
            }
        }
    }
}
