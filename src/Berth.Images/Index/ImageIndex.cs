using Berth.Linux.Files;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Index;

/// <summary>
/// The image index on disk: <c>root/index.json</c>, an OCI image layout index whose manifests
/// carry the name in the <c>io.containerd.image.name</c> annotation, as <c>docker save</c> and
/// containerd write them, and in <c>org.opencontainers.image.ref.name</c> too: the whole name, not
/// just the tag as <c>docker save</c> does, so that two images tagged <c>latest</c> stay apart for
/// layout readers (<c>skopeo inspect oci:ROOT:docker.io/library/busybox:latest</c>). Shared with a
/// <see cref="FileContentStore"/> on the same root, the directory is an OCI image layout other
/// tools can read. Entries without a name (written by another tool) are kept but not listed.
/// <para>
/// Readers read the file without locking: it only ever changes by rename, so they see the old
/// or the new index whole. A change takes an flock on <c>root/index.json.lock</c>, reads the
/// current file inside the lock, writes a temporary file, fsyncs it, renames it over the index and
/// fsyncs the directory, so two processes never lose each other's updates and a crash leaves the
/// old or the new index. A left-over temporary file is ignored. An index.json that does not parse
/// is FailedPrecondition, never silently replaced by an empty one.
/// </para>
/// </summary>
public sealed class ImageIndex : IImageIndex
{
    public const string NameAnnotation = "io.containerd.image.name";
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    private readonly string _path;
    private readonly string _lockPath;

    public ImageIndex(string root)
    {
        if (string.IsNullOrEmpty(root))
            throw BerthException.InvalidArgument("image index: empty root");
        Root = Path.GetFullPath(root);
        Durable.EnsureDirectory(Root);
        _path = Path.Combine(Root, "index.json");
        _lockPath = _path + ".lock";
    }

    public string Root { get; }

    public async Task<Descriptor> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        var index = await LoadAsync(cancellationToken).ConfigureAwait(false);
        return index.Manifests.FirstOrDefault(m => NameOf(m) == name) is { } found
            ? Strip(found)
            : throw BerthException.NotFound($"image `{name}`: not found");
    }

    public async Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var index = await LoadAsync(cancellationToken).ConfigureAwait(false);
        return index.Manifests
            .Where(m => NameOf(m) is not null)
            .Select(m => new ImageRecord(NameOf(m)!, Strip(m)))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyList<string>> NamesForAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var text = digest.ToString();
        return (await ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(r => r.Target.Digest == text)
            .Select(r => r.Name)
            .ToList();
    }

    public Task SetAsync(string name, Descriptor target, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(target);
        if (string.IsNullOrEmpty(target.MediaType))
            throw BerthException.InvalidArgument($"set image `{name}`: descriptor has no media type");
        if (!Digest.TryParse(target.Digest, out _))
            throw BerthException.InvalidArgument($"set image `{name}`: invalid digest `{target.Digest}`");
        if (target.Size < 0)
            throw BerthException.InvalidArgument($"set image `{name}`: negative size {target.Size}");

        var annotations = new Dictionary<string, string>(target.Annotations ?? new Dictionary<string, string>())
        {
            [NameAnnotation] = name,
            [RefNameAnnotation] = name,
        };
        var entry = target with { Annotations = annotations };

        return UpdateAsync(manifests =>
        {
            manifests.RemoveAll(m => NameOf(m) == name);
            manifests.Add(entry);
        }, $"set image `{name}`", cancellationToken);
    }

    public Task RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        return UpdateAsync(manifests =>
        {
            if (manifests.RemoveAll(m => NameOf(m) == name) == 0)
                throw BerthException.NotFound($"image `{name}`: not found");
        }, $"remove image `{name}`", cancellationToken);
    }

    /// <summary>Read-modify-write under the lock. <paramref name="change"/> may throw to leave the index as it was.</summary>
    private async Task UpdateAsync(Action<List<Descriptor>> change, string what, CancellationToken cancellationToken)
    {
        using var held = await FileLock.AcquireAsync(_lockPath, cancellationToken).ConfigureAwait(false);
        var index = await LoadAsync(cancellationToken).ConfigureAwait(false);
        var manifests = index.Manifests.ToList();
        change(manifests);
        // Named entries sorted, foreign entries first in their old order: a stable, diffable file.
        var ordered = manifests.Where(m => NameOf(m) is null)
            .Concat(manifests.Where(m => NameOf(m) is not null).OrderBy(m => NameOf(m), StringComparer.Ordinal))
            .ToList();
        var bytes = ImageJson.Serialize(index with { MediaType = MediaTypes.OciIndex, Manifests = ordered });
        try
        {
            await WriteLayoutFileAsync(cancellationToken).ConfigureAwait(false);
            await AtomicWriteAsync(_path, bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw BerthException.Wrap(e, what);
        }
    }

    private async Task<Oci.Image.Index> LoadAsync(CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(_path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return new Oci.Image.Index { MediaType = MediaTypes.OciIndex };
        }
        try
        {
            return ImageJson.ParseIndex(bytes);
        }
        catch (BerthException e)
        {
            throw new BerthException(ErrorKind.FailedPrecondition, $"read image index `{_path}`: {e.Message}", e);
        }
    }

    /// <summary>The <c>oci-layout</c> marker that makes the root an OCI image layout; written once.</summary>
    private async Task WriteLayoutFileAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Root, "oci-layout");
        if (!File.Exists(path))
            await AtomicWriteAsync(path, """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private static async Task AtomicWriteAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        // Unique per call; a crash leaves it behind, and nothing reads it.
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        Durable.FsyncDirectory(Path.GetDirectoryName(path)!);
    }

    private static string? NameOf(Descriptor descriptor) =>
        descriptor.Annotations is { } a && a.TryGetValue(NameAnnotation, out var name) ? name : null;

    /// <summary>The descriptor as the caller set it, without the annotations the index adds.</summary>
    private static Descriptor Strip(Descriptor descriptor)
    {
        if (descriptor.Annotations is null)
            return descriptor;
        var rest = descriptor.Annotations
            .Where(p => p.Key is not NameAnnotation and not RefNameAnnotation)
            .ToDictionary(p => p.Key, p => p.Value);
        return descriptor with { Annotations = rest.Count == 0 ? null : rest };
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name))
            throw BerthException.InvalidArgument("image name is empty");
        if (name.Length > 4096 || name.Any(char.IsControl))
            throw BerthException.InvalidArgument($"image name `{name.ReplaceLineEndings(" ")}`: has control characters or is too long");
    }
}
