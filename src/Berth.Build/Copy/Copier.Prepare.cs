using System.Text;
using Berth.Build.Ignore;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Build.Copy;

public sealed partial class Copier
{
    /// <summary>
    /// Phase 1: resolves and reads every source and returns the copy, ready to apply, with its
    /// <see cref="PreparedCopy.InputDigest"/>. Fails with one <see cref="BerthException"/> naming the
    /// source or flag at fault, and then leaves no download behind.
    /// </summary>
    public async Task<PreparedCopy> PrepareAsync(CopyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var temp = new TempDirectory(_options.TempDirectory);
        try
        {
            return await PrepareCoreAsync(request, temp, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            temp.Delete();
            throw;
        }
    }

    private async Task<PreparedCopy> PrepareCoreAsync(CopyRequest request, TempDirectory temp, CancellationToken ct)
    {
        var verb = request.IsAdd ? "ADD" : "COPY";
        var mode = ModeOption.Parse(request.Chmod);
        var (destination, destIsDir) = Destination(request);
        var sources = request.Heredocs.Count > 0
            ? request.Sources.Where(s => !s.StartsWith("<<", StringComparison.Ordinal)).ToList()
            : request.Sources.ToList();
        var checksum = Checksum(request, sources);
        var excludes = Excludes(request.Excludes);

        var items = new List<PlanItem>();
        SourceTree? tree = null;
        foreach (var source in sources)
        {
            ct.ThrowIfCancellationRequested();
            if (UrlDownloader.IsGit(source))
            {
                throw new BerthException(ErrorKind.NotImplemented, $"{verb} `{source}`: git sources are not supported");
            }
            if (UrlDownloader.IsUrl(source))
            {
                if (!request.IsAdd)
                {
                    throw BerthException.InvalidArgument($"COPY `{source}`: source can't be a URL for COPY");
                }
                var download = await UrlDownloader.DownloadAsync(_http.Value, source, checksum, temp.Get(), _options, ct).ConfigureAwait(false);
                items.Add(SyntheticFile(download.FileName, download.Path, 0x180 /* 0600 */, download.LastModified));
                continue;
            }
            tree ??= SourceTree.For(request.Source);
            if (request.Parents)
            {
                items.Add(ParentsItem(tree, source, excludes));
                continue;
            }
            foreach (var rel in tree.Resolve([source]))
            {
                items.Add(LocalItem(tree, rel, request.IsAdd, excludes));
            }
        }
        foreach (var heredoc in request.Heredocs)
        {
            var path = Path.Combine(temp.Get(), "heredoc-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllTextAsync(path, heredoc.Content, new UTF8Encoding(false), ct).ConfigureAwait(false);
            items.Add(SyntheticFile(heredoc.Name, path, 0x1A4 /* 0644 */, null));
        }
        if (items.Count == 0)
        {
            throw BerthException.InvalidArgument($"{verb} failed: no source files were specified");
        }
        if (items.Count > 1 && !destIsDir && !request.Parents)
        {
            throw BerthException.InvalidArgument($"When using {verb} with more than one source file, the destination must be a directory and end with a /");
        }
        var digest = Digest(request, destination, destIsDir, mode, items, tree?.PreserveOwner ?? false);
        return new PreparedCopy(request, destination, destIsDir, mode, items, temp.Path, digest);
    }

    /// <summary>The destination inside the container, and whether it was written as a directory.</summary>
    private static (string Path, bool IsDirectory) Destination(CopyRequest request)
    {
        var dest = request.Destination;
        if (string.IsNullOrEmpty(dest))
        {
            throw BerthException.InvalidArgument("copy: empty destination");
        }
        var isDir = dest.EndsWith('/') || dest == "." || dest == ".." || dest.EndsWith("/.", StringComparison.Ordinal) || dest.EndsWith("/..", StringComparison.Ordinal);
        var workdir = string.IsNullOrEmpty(request.WorkingDir) ? "/" : request.WorkingDir;
        var absolute = dest.StartsWith('/') ? dest : workdir.TrimEnd('/') + "/" + dest;
        return (IgnoreFile.CleanPath("/" + absolute), isDir);
    }

    private static Digest? Checksum(CopyRequest request, List<string> sources)
    {
        if (string.IsNullOrEmpty(request.Checksum))
        {
            return null;
        }
        if (!request.IsAdd)
        {
            throw BerthException.InvalidArgument("checksum can't be specified for COPY");
        }
        if (sources.Count != 1)
        {
            throw BerthException.InvalidArgument("checksum can't be specified for multiple sources");
        }
        if (!UrlDownloader.IsUrl(sources[0]) || UrlDownloader.IsGit(sources[0]))
        {
            throw BerthException.InvalidArgument("checksum requires HTTP(S) sources");
        }
        return Oci.Digest.TryParse(request.Checksum, out var d)
            ? d
            : throw BerthException.InvalidArgument($"invalid checksum `{request.Checksum}`: expected sha256:<64 hex digits>");
    }

    private static IgnoreMatcher? Excludes(IReadOnlyList<string> patterns)
    {
        if (patterns.Count == 0)
        {
            return null;
        }
        var compiled = new List<IgnorePattern>();
        foreach (var raw in patterns)
        {
            var exception = raw.StartsWith('!');
            var pattern = IgnoreFile.CleanPath(exception ? raw[1..] : raw);
            if (pattern.Length > 1 && pattern[0] == '/')
            {
                pattern = pattern[1..];
            }
            try
            {
                compiled.Add(IgnorePattern.Create(pattern, exception));
            }
            catch (BerthException e)
            {
                throw e.Wrap($"--exclude=`{raw}`");
            }
        }
        return new IgnoreMatcher(compiled);
    }

    private static PlanItem LocalItem(SourceTree tree, string rel, bool isAdd, IgnoreMatcher? excludes)
    {
        var shown = rel;
        var name = rel == "." ? "." : rel[(rel.LastIndexOf('/') + 1)..];
        var (resolved, stat) = tree.Follow(rel, shown);
        var full = tree.FullPath(resolved);
        if (stat.IsDirectory)
        {
            return new TreeItem(name, stat, TreeScan.Entries(tree, resolved, resolved, excludes, []), tree.PreserveOwner);
        }
        if (isAdd && stat.IsRegular && ArchiveExtractor.IsArchive(full))
        {
            return new ArchiveItem(name, full);
        }
        return new SingleItem(name, TreeScan.Entry("", full, stat, []), tree.PreserveOwner);
    }

    /// <summary>
    /// --parents: the source keeps its path below the destination, counted from the root or from
    /// a <c>/./</c> pivot (<c>a/./b/c</c> lands as <c>b/c</c>). Parent directories are recreated
    /// from the source's; the matches are not followed if they are symlinks, as in BuildKit.
    /// </summary>
    private static TreeItem ParentsItem(SourceTree tree, string source, IgnoreMatcher? excludes)
    {
        var cut = source.IndexOf("/./", StringComparison.Ordinal);
        var pivotWord = cut < 0 ? "." : source[..cut];
        var pivot = tree.Resolve([pivotWord]) is [var p] ? p : throw tree.NotFound(pivotWord);
        var (pivotRel, pivotStat) = tree.Follow(pivot, pivotWord);
        if (!pivotStat.IsDirectory)
        {
            throw BerthException.InvalidArgument($"COPY --parents `{source}`: `{pivotWord}` is not a directory");
        }
        var pattern = cut < 0 ? source : (pivotRel == "." ? "" : pivotRel + "/") + source[(cut + 3)..];
        var entries = new List<PlanEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var inodes = new Dictionary<(uint, uint, ulong), string>();
        foreach (var match in tree.Resolve([pattern]))
        {
            var sub = pivotRel == "." ? match : match.StartsWith(pivotRel + "/", StringComparison.Ordinal) ? match[(pivotRel.Length + 1)..] : null;
            if (sub is null or "." || excludes?.IsExcluded(sub) == true)
            {
                continue;
            }
            var parts = sub.Split('/');
            for (var i = 1; i < parts.Length; i++)
            {
                var ancestor = string.Join('/', parts[..i]);
                if (seen.Add(ancestor) && NodeStat.Lstat(tree.FullPath(Join(pivotRel, ancestor))) is { IsDirectory: true } dirStat)
                {
                    entries.Add(new PlanEntry(ancestor, EntryType.Directory, tree.FullPath(Join(pivotRel, ancestor)), dirStat, null, OnlyIfMissing: true));
                }
            }
            var full = tree.FullPath(match);
            if (!seen.Add(sub) || NodeStat.Lstat(full) is not { } stat)
            {
                continue;
            }
            entries.Add(TreeScan.Entry(sub, full, stat, inodes));
            if (stat.IsDirectory)
            {
                entries.AddRange(TreeScan.Entries(tree, match, pivotRel, excludes, inodes));
            }
        }
        return new TreeItem(".", pivotStat, entries, tree.PreserveOwner);
    }

    private static string Join(string dir, string rel) => dir == "." ? rel : dir + "/" + rel;

    private static SingleItem SyntheticFile(string name, string path, uint mode, DateTimeOffset? mtime)
    {
        var time = mtime ?? DateTimeOffset.UtcNow;
        var seconds = time.ToUnixTimeSeconds();
        var nanos = (uint)((time.UtcTicks % TimeSpan.TicksPerSecond + TimeSpan.TicksPerSecond) % TimeSpan.TicksPerSecond * 100);
        var stat = new NodeStat(NodeStat.Regular | mode, 0, 0, 0, seconds, nanos, 0, 0, 0, 0, 0, 1);
        return new SingleItem(name, new PlanEntry("", EntryType.File, path, stat, null), PreserveOwner: false);
    }

    private static Digest Digest(CopyRequest request, string destination, bool destIsDir, uint? mode, List<PlanItem> items, bool preserveOwner)
    {
        using var d = new CopyDigest();
        d.Bool(request.IsAdd);
        d.String(destination);
        d.Bool(destIsDir);
        d.String(request.Chown);
        d.Bool(mode.HasValue);
        d.U32(mode ?? 0);
        d.Bool(request.Parents);
        d.Bool(request.Link);
        d.U64((ulong)request.Excludes.Count);
        foreach (var exclude in request.Excludes)
        {
            d.String(exclude);
        }
        d.String(request.Checksum);
        d.Bool(request.KeepGitDir);
        d.String(request.Source is RootfsCopySource ? "rootfs" : "context");
        d.U64((ulong)items.Count);
        foreach (var item in items)
        {
            d.String(item.Name);
            switch (item)
            {
                case TreeItem tree:
                    d.String("tree");
                    d.U64((ulong)tree.Entries.Count);
                    foreach (var entry in tree.Entries)
                    {
                        d.Entry(entry, preserveOwner && tree.PreserveOwner);
                    }
                    break;
                case SingleItem single:
                    d.String("single");
                    d.Entry(single.Entry, single.PreserveOwner);
                    break;
                case ArchiveItem archive:
                    d.String("archive");
                    d.File(archive.SourcePath, archive.Name);
                    break;
            }
        }
        return d.Finish();
    }
}
