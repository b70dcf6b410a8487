using System.Diagnostics;
using System.Text;
using Berth.Linux.Interop;

namespace Berth.Images.Tests.Layers;

/// <summary>A temp directory holding the target and a sentinel directory beside it that nothing may touch.</summary>
internal sealed class LayerRoot : IDisposable
{
    public LayerRoot()
    {
        Base = Directory.CreateTempSubdirectory("berth-layer-").FullName;
        Target = Path.Combine(Base, "target");
        Sentinel = Path.Combine(Base, "sentinel");
        Directory.CreateDirectory(Target);
        Directory.CreateDirectory(Sentinel);
        System.IO.File.WriteAllText(Path.Combine(Sentinel, "passwd"), "sentinel");
        SentinelSnapshot = Snapshot(Sentinel);
    }

    public string Base { get; }
    public string Target { get; }
    public string Sentinel { get; }
    private string SentinelSnapshot { get; }

    public string this[string relative] => Path.Combine(Target, relative);

    /// <summary>Everything under the base except the target, so writes beside the target show too.</summary>
    public void AssertSentinelUntouched()
    {
        Assert.Equal(SentinelSnapshot, Snapshot(Sentinel));
        Assert.Equal(new[] { "sentinel", "target" }, Directory.EnumerateFileSystemEntries(Base).Select(p => Path.GetFileName(p)).Order().ToArray());
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries("/"), p => Path.GetFileName(p) is "x" or "escaped");
    }

    private static string Snapshot(string dir)
    {
        var sb = new StringBuilder();
        foreach (var path in Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Order())
        {
            sb.Append(path).Append(' ').Append(Stat(path)).Append(' ');
            if (System.IO.File.Exists(path))
            {
                sb.Append(System.IO.File.ReadAllText(path));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>lstat as `stat` prints it: "%F %a %u:%g %t:%T %Y" (type, mode, owner, device, mtime).</summary>
    public static string Stat(string path)
    {
        var psi = new ProcessStartInfo("stat", ["-c", "%F %a %u:%g %t:%T %Y", path]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return output;
    }

    public static unsafe byte[]? GetXattr(string path, string name)
    {
        var buffer = new byte[65536];
        fixed (byte* b = buffer)
        {
            var n = Libc.lgetxattr(path, name, b, (nuint)buffer.Length);
            return n < 0 ? null : buffer[..(int)n];
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Base, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
