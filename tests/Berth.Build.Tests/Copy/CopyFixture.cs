using Berth.Build.Context;
using Berth.Build.Copy;
using Berth.Build.Ignore;
using Berth.Linux.Interop;

namespace Berth.Build.Tests.Copy;

/// <summary>
/// A temp directory holding a build context, a root filesystem to copy into, another rootfs
/// (a --from stage) and a canary file outside all of them that no copy may touch.
/// </summary>
public class CopyFixture : IDisposable
{
    protected readonly string Base = Directory.CreateTempSubdirectory("berth-copy-test-").FullName;

    protected CopyFixture()
    {
        Directory.CreateDirectory(ContextDir);
        Directory.CreateDirectory(Rootfs);
        Directory.CreateDirectory(Stage);
        Directory.CreateDirectory(Temp);
        File.WriteAllText(Canary, "canary");
    }

    protected string ContextDir => Path.Combine(Base, "context");

    protected string Rootfs => Path.Combine(Base, "rootfs");

    protected string Stage => Path.Combine(Base, "stage");

    protected string Temp => Path.Combine(Base, "temp");

    protected string Canary => Path.Combine(Base, "canary");

    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
        Directory.Delete(Base, recursive: true);
    }

    protected Copier Copier => new(new CopierOptions { TempDirectory = Temp });

    protected string Ctx(string rel, string content = "", int mode = 0x1A4)
    {
        var path = Path.Combine(ContextDir, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        Chmod(path, mode);
        return path;
    }

    protected static void Chmod(string path, int mode) => Assert.Equal(0, Libc.chmod(path, (uint)mode));

    protected static void Chown(string path, int uid, int gid) => Assert.Equal(0, Libc.lchown(path, (uint)uid, (uint)gid));

    protected CopyRequest Request(string dest, params string[] sources) =>
        new() { Source = new ContextCopySource(new BuildContext(ContextDir, IgnoreMatcher.FromText(Ignore))), Sources = sources, Destination = dest };

    protected string Ignore { get; set; } = "";

    protected async Task<PreparedCopy> RunAsync(CopyRequest request)
    {
        var prepared = await Copier.PrepareAsync(request);
        await Copier.ApplyAsync(prepared, Rootfs);
        return prepared;
    }

    protected async Task CopyAsync(CopyRequest request)
    {
        using var prepared = await RunAsync(request);
    }

    protected string InRoot(string containerPath) => Rootfs + containerPath;

    protected static unsafe Stat StatOf(string path)
    {
        Statx st;
        Assert.True(Libc.statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &st) == 0, $"{path} does not exist");
        return new Stat(st.Mode & 0xFFF, st.Mode & 0xF000, (int)st.Uid, (int)st.Gid, st.MtimeSec, st.Ino, (int)st.Nlink);
    }

    protected static string Octal(int mode) => Convert.ToString(mode, 8);

    protected void AssertCanary()
    {
        Assert.Equal("canary", File.ReadAllText(Canary));
        Assert.Equal(["canary", "context", "rootfs", "stage", "temp"], Directory.EnumerateFileSystemEntries(Base).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    protected static void SetMtime(string path, DateTime utc) => File.SetLastWriteTimeUtc(path, utc);

    public sealed record Stat(int Perm, int Type, int Uid, int Gid, long Mtime, ulong Ino, int Nlink)
    {
        public bool IsDir => Type == 0x4000;
        public bool IsFile => Type == 0x8000;
        public bool IsSymlink => Type == 0xA000;
    }
}
