using System.Formats.Tar;
using Berth.Errdefs;
using Berth.Images.Layers;
using Berth.Linux.Interop;

namespace Berth.Engine.Containers;

/// <summary>
/// The container's files from the host: <c>diff</c> (the upper dir read as docker's A/C/D list),
/// <c>export</c> (the merged rootfs as a tar) and <c>cp</c> (both ways, docker's copy rules). A
/// stopped container's overlay is mounted for the time of the call. Paths inside the container
/// are resolved with symlinks followed within its rootfs (<see cref="RootfsUsers.Resolve"/>), and
/// everything written into it goes through <see cref="LayerApplier"/>, which never leaves its
/// target directory: a symlink in the container cannot send a copy onto the host.
/// </summary>
public sealed partial class ContainerService
{
    /// <summary>docker diff: (kind, path) with kind A (added), C (changed) or D (deleted), sorted by path.</summary>
    public IReadOnlyList<(char Kind, string Path)> Diff(string idOrName)
    {
        var record = Store.Resolve(idOrName);
        var upper = Snapshot.UpperPath(Store.Dir(record.Id));
        var changes = new List<(char, string)>();
        if (Directory.Exists(upper))
            DiffWalk(upper, "", record.LayerChain, changes);
        // The engine's own /etc files are mount points, not changes (docker's diff leaves them out too).
        changes.RemoveAll(c => EngineFiles.Contains(c.Item2));
        if (!changes.Any(c => c.Item2.StartsWith("/etc/", StringComparison.Ordinal)))
            changes.RemoveAll(c => c.Item2 == "/etc" && c.Item1 == 'C');
        changes.Sort((a, b) => string.CompareOrdinal(a.Item2, b.Item2));
        return changes;
    }

    private static readonly HashSet<string> EngineFiles = new(StringComparer.Ordinal) { "/etc/hostname", "/etc/hosts", "/etc/resolv.conf" };

    private static unsafe void DiffWalk(string upper, string rel, IReadOnlyList<string> lowers, List<(char, string)> changes)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path.Combine(upper, rel.TrimStart('/'))))
        {
            var path = rel + "/" + Path.GetFileName(entry);
            Statx st;
            if (Libc.statx(Libc.AT_FDCWD, entry, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &st) != 0)
                continue;
            var type = st.Mode & 0xF000;
            if (type == 0x2000 && st.RdevMajor == 0 && st.RdevMinor == 0)
            {
                changes.Add(('D', path));
                continue;
            }
            var inLower = lowers.Any(l => Exists(Path.Combine(l, path.TrimStart('/'))));
            changes.Add((inLower ? 'C' : 'A', path));
            if (type == 0x4000)
                DiffWalk(upper, path, lowers, changes);
        }
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    /// <summary>docker export: the merged rootfs as an uncompressed tar.</summary>
    public Task ExportAsync(string idOrName, Stream output, CancellationToken cancellationToken = default) =>
        WithRootfsAsync(idOrName, rootfs => LayerDiffer.WriteAsync(rootfs, [], output, cancellationToken: cancellationToken), cancellationToken);

    /// <summary>Runs <paramref name="action"/> on the container's merged rootfs, mounting it for the time of the call when it is not mounted.</summary>
    public async Task WithRootfsAsync(string idOrName, Func<string, Task> action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        cancellationToken.ThrowIfCancellationRequested();
        var record = Store.Resolve(idOrName);
        var dir = Store.Dir(record.Id);
        using var held = Store.Lock(record.Id);
        var mounted = Snapshot.IsMounted(dir);
        if (!mounted)
            Snapshot.Mount(dir, record.LayerChain);
        try
        {
            await action(Snapshot.RootfsPath(dir)).ConfigureAwait(false);
        }
        finally
        {
            if (!mounted && !ContainerState.Of(dir, record).IsActive)
                Snapshot.Unmount(dir);
        }
    }

    /// <summary>
    /// docker cp CONTAINER:SRC DEST (DEST "-" writes a tar of SRC to <paramref name="stdout"/>).
    /// </summary>
    public Task CopyFromAsync(string idOrName, string source, string destination, bool followLink, Stream stdout, CancellationToken cancellationToken = default) =>
        WithRootfsAsync(idOrName, async rootfs =>
        {
            // A running container is read through its init's root, so what it sees is copied: its
            // binds and its /etc/hosts, /etc/hostname and /etc/resolv.conf included (as docker cp).
            // Symlinks are still resolved component by component within that root.
            if (Get(idOrName).State is { Running: true, Pid: > 0 } running && Directory.Exists($"/proc/{running.Pid}/root/"))
                rootfs = $"/proc/{running.Pid}/root";
            var src = ResolveIn(rootfs, source, followLink)
                ?? throw BerthException.NotFound($"Could not find the file {source} in container {idOrName}");
            if (destination == "-")
            {
                await WriteTarAsync(src, Path.GetFileName(source.TrimEnd('/')) is { Length: > 0 } n ? n : ".", contentsOnly: false, stdout, cancellationToken).ConfigureAwait(false);
                return;
            }
            await CopyAsync(src, source, destination, dest => Path.GetFullPath(dest), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>docker cp SRC CONTAINER:DEST (SRC "-" reads a tar from <paramref name="stdin"/> and extracts it into DEST, a directory).</summary>
    public Task CopyToAsync(string idOrName, string source, string destination, bool followLink, Stream stdin, CancellationToken cancellationToken = default) =>
        WithRootfsAsync(idOrName, async rootfs =>
        {
            if (source == "-")
            {
                var dir = RootfsUsers.Resolve(rootfs, destination);
                if (dir is null || !Directory.Exists(dir))
                    throw BerthException.NotFound($"Could not find the file {destination} in container {idOrName}");
                await LayerApplier.ApplyAsync(stdin, dir, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            var src = Path.GetFullPath(source);
            if (followLink && new FileInfo(src).ResolveLinkTarget(true) is { } target)
                src = target.FullName;
            if (!File.Exists(src) && !Directory.Exists(src) && new FileInfo(src).LinkTarget is null)
                throw BerthException.NotFound($"lstat {source}: no such file or directory");
            await CopyAsync(src, source, destination, dest => RootfsUsers.Resolve(rootfs, dest)
                ?? throw BerthException.InvalidArgument($"path `{dest}` in container {idOrName}: too many levels of symbolic links"), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The host path of a container path; without <paramref name="followLink"/> a final symlink is the link itself.</summary>
    private static string? ResolveIn(string rootfs, string path, bool followLink)
    {
        var trimmed = path.TrimEnd('/');
        if (trimmed.EndsWith("/.", StringComparison.Ordinal))
            trimmed = trimmed[..^2];
        var name = Path.GetFileName(trimmed);
        string? host;
        if (followLink || name.Length == 0 || name is "." or "..")
            host = RootfsUsers.Resolve(rootfs, trimmed.Length == 0 ? "/" : trimmed);
        else
            host = RootfsUsers.Resolve(rootfs, Path.GetDirectoryName(trimmed) ?? "/") is { } parent ? Path.Combine(parent, name) : null;
        return host is not null && (File.Exists(host) || Directory.Exists(host) || new FileInfo(host).LinkTarget is not null) ? host : null;
    }

    /// <summary>
    /// docker's copy rules. <paramref name="src"/> is a host path (possibly inside a rootfs);
    /// <paramref name="resolve"/> maps a destination path to where it is on this host.
    /// </summary>
    private static async Task CopyAsync(string src, string sourceText, string destination, Func<string, string> resolve, CancellationToken cancellationToken)
    {
        var srcIsDir = Directory.Exists(src) && new FileInfo(src).LinkTarget is null;
        var contentsOnly = sourceText.EndsWith("/.", StringComparison.Ordinal) || sourceText == ".";
        var destHost = resolve(destination);
        var destExists = Directory.Exists(destHost) || File.Exists(destHost);
        var destIsDir = Directory.Exists(destHost);
        string targetDir;
        string name;
        if (srcIsDir)
        {
            if (destExists && !destIsDir)
                throw BerthException.InvalidArgument("cannot copy a directory to a file");
            if (destIsDir && !contentsOnly)
            {
                targetDir = destHost;
                name = Path.GetFileName(src.TrimEnd('/'));
            }
            else
            {
                if (!destExists)
                {
                    var parent = resolve(Path.GetDirectoryName(destination.TrimEnd('/')) is { Length: > 0 } p ? p : "/");
                    if (!Directory.Exists(parent))
                        throw BerthException.NotFound($"no such directory: {Path.GetDirectoryName(destination.TrimEnd('/'))}");
                    Directory.CreateDirectory(Path.Combine(parent, Path.GetFileName(destination.TrimEnd('/'))));
                    destHost = resolve(destination);
                }
                targetDir = destHost;
                name = ".";
            }
        }
        else
        {
            if (srcIsDir is false && contentsOnly)
                throw BerthException.InvalidArgument($"source `{sourceText}` is not a directory");
            if (destIsDir)
            {
                targetDir = destHost;
                name = Path.GetFileName(src);
            }
            else
            {
                if (destination.EndsWith('/'))
                    throw BerthException.NotFound($"no such directory: {destination}");
                var parentText = Path.GetDirectoryName(destination) is { Length: > 0 } p ? p : (destination.StartsWith('/') ? "/" : ".");
                targetDir = resolve(parentText);
                if (!Directory.Exists(targetDir))
                    throw BerthException.NotFound($"no such directory: {parentText}");
                name = Path.GetFileName(destination);
            }
        }
        var temp = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        await using (temp.ConfigureAwait(false))
        {
            await WriteTarAsync(src, name, contentsOnly: name == ".", temp, cancellationToken).ConfigureAwait(false);
            temp.Position = 0;
            await LayerApplier.ApplyAsync(temp, targetDir, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A tar of <paramref name="src"/> named <paramref name="name"/> (a tree's entries under it; "." puts a directory's contents at the top).</summary>
    private static async Task WriteTarAsync(string src, string name, bool contentsOnly, Stream output, CancellationToken cancellationToken)
    {
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            if (!contentsOnly)
                await writer.WriteEntryAsync(src, name, cancellationToken).ConfigureAwait(false);
            if (Directory.Exists(src) && new FileInfo(src).LinkTarget is null)
                await WriteTreeAsync(writer, src, contentsOnly ? "" : name + "/", cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteTreeAsync(TarWriter writer, string dir, string prefix, CancellationToken cancellationToken)
    {
        var names = Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).ToList();
        names.Sort(StringComparer.Ordinal);
        foreach (var n in names)
        {
            var full = Path.Combine(dir, n!);
            await writer.WriteEntryAsync(full, prefix + n, cancellationToken).ConfigureAwait(false);
            if (Directory.Exists(full) && new FileInfo(full).LinkTarget is null)
                await WriteTreeAsync(writer, full, prefix + n + "/", cancellationToken).ConfigureAwait(false);
        }
    }
}
