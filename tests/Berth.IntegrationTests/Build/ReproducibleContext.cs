namespace Berth.IntegrationTests.Build;

/// <summary>
/// The build context of the reproducibility tests, in a temp directory the instance owns: a
/// Dockerfile whose RUN steps write only fixed content, a 256 KiB payload of seeded
/// pseudo-random bytes, small files in a subdirectory, and <c>old.txt</c> whose mtime
/// (<see cref="OldMtime"/>) is before every epoch the tests use, to see mtimes clamped rather
/// than replaced. <see cref="CopyTo"/> makes the "other machine's" copy with other mtimes.
/// </summary>
public sealed class ReproducibleContext : IDisposable
{
    /// <summary>2020-09-13T12:26:40Z: older than SOURCE_DATE_EPOCH=1700000000, newer than 0.</summary>
    public const long OldMtime = 1_600_000_000;

    public const string Dockerfile = """
        FROM busybox
        RUN mkdir -p /data && for i in 1 2 3 4 5; do echo "line $i" > /data/f$i; done && chmod 0640 /data/f1
        COPY payload.bin /payload.bin
        COPY small.txt old.txt sub/ /etc/app/
        ENV APP_MODE=test
        WORKDIR /srv
        RUN echo ready > /srv/ready && ln -s /data/f2 /srv/link && cat /etc/app/small.txt /etc/app/nested.txt
        CMD ["cat", "/srv/ready"]
        """;

    private ReproducibleContext(string path) => Path = path;

    /// <summary>The context directory (the Dockerfile is in it).</summary>
    public string Path { get; }

    /// <summary>The context, freshly written: its files have the time of writing, but old.txt has <see cref="OldMtime"/>.</summary>
    public static ReproducibleContext Create()
    {
        var context = new ReproducibleContext(Directory.CreateTempSubdirectory("berth-repro-ctx-").FullName);
        var payload = new byte[256 * 1024];
        new Random(20261202).NextBytes(payload);
        File.WriteAllBytes(context.PathOf("payload.bin"), payload);
        File.WriteAllText(context.PathOf("Dockerfile"), Dockerfile + "\n");
        File.WriteAllText(context.PathOf("small.txt"), "small\n");
        File.WriteAllText(context.PathOf("old.txt"), "written long ago\n");
        Directory.CreateDirectory(context.PathOf("sub"));
        File.WriteAllText(context.PathOf("sub/nested.txt"), "nested\n");
        File.SetLastWriteTimeUtc(context.PathOf("old.txt"), DateTimeOffset.FromUnixTimeSeconds(OldMtime).UtcDateTime);
        return context;
    }

    /// <summary>
    /// A copy elsewhere, with the same bytes and modes, where every file and directory has
    /// mtime <paramref name="mtime"/>, except old.txt, which keeps <see cref="OldMtime"/>.
    /// </summary>
    public ReproducibleContext CopyTo(DateTimeOffset mtime)
    {
        var copy = new ReproducibleContext(Directory.CreateTempSubdirectory("berth-repro-copy-").FullName);
        foreach (var dir in Directory.EnumerateDirectories(Path, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(System.IO.Path.Combine(copy.Path, System.IO.Path.GetRelativePath(Path, dir)));
        foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(copy.Path, System.IO.Path.GetRelativePath(Path, file));
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
        foreach (var file in Directory.EnumerateFiles(copy.Path, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, mtime.UtcDateTime);
        // Directories last: writing their files changed their mtimes.
        foreach (var dir in Directory.EnumerateDirectories(copy.Path, "*", SearchOption.AllDirectories).Append(copy.Path))
            Directory.SetLastWriteTimeUtc(dir, mtime.UtcDateTime);
        File.SetLastWriteTimeUtc(copy.PathOf("old.txt"), DateTimeOffset.FromUnixTimeSeconds(OldMtime).UtcDateTime);
        return copy;
    }

    /// <summary>Flips the bits of one byte of payload.bin (keeping its mtime, so only the content says it changed).</summary>
    public void FlipPayloadByte(int offset)
    {
        var path = PathOf("payload.bin");
        var mtime = File.GetLastWriteTimeUtc(path);
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0xff;
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, mtime);
    }

    /// <summary>A path inside the context.</summary>
    public string PathOf(string relative) => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
