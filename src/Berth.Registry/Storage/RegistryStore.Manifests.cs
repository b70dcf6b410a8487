using System.Text;
using Berth.Errdefs;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Registry.Storage;

/// <summary>
/// Manifests: the exact bytes pushed are a blob; a revision link makes the manifest part of a
/// repository and holds the media type it was pushed with; a tag names a revision; a referrer link
/// files a manifest under the subject it names.
/// </summary>
public sealed partial class RegistryStore
{
    /// <summary>A manifest read back: its digest, media type, size and (for GET) its bytes.</summary>
    public sealed record ManifestRecord(Digest Digest, string MediaType, long Size, string Path);

    /// <summary>The digest a tag points at, or null.</summary>
    public Digest? ResolveTag(string repository, string tag)
    {
        var content = _driver.GetContent(RegistryLayout.Tag(repository, tag), 256);
        return content is not null && Digest.TryParse(Encoding.ASCII.GetString(content).Trim(), out var digest) ? digest : null;
    }

    /// <summary>A manifest of the repository by digest, or null when the repository has none such.</summary>
    public ManifestRecord? StatManifest(string repository, Digest digest)
    {
        var mediaType = _driver.GetContent(RegistryLayout.Revision(repository, digest), 1024);
        if (mediaType is null)
            return null;
        var path = RegistryLayout.Blob(digest);
        return _driver.Stat(path) is { IsDirectory: false } stat
            ? new ManifestRecord(digest, Encoding.UTF8.GetString(mediaType), stat.Size, path)
            : null;
    }

    public byte[]? ReadManifest(ManifestRecord manifest) => _driver.GetContent(manifest.Path, ImageJson.MaxManifestBytes);

    /// <summary>
    /// Stores a manifest already parsed by the caller: checks that every blob and child manifest it
    /// references is in the repository (NotFound naming the first missing one, and nothing stored),
    /// then stores the bytes, the revision, the referrer link for <paramref name="subject"/> and the tag.
    /// </summary>
    public async Task PutManifestAsync(string repository, string? tag, Digest digest, string mediaType, byte[] bytes,
        IReadOnlyList<Digest> blobs, IReadOnlyList<Digest> children, Digest? subject, CancellationToken cancellationToken)
    {
        using var held = await PushLockAsync(cancellationToken).ConfigureAwait(false);
        foreach (var blob in blobs)
        {
            if (StatBlob(repository, blob) is null)
                throw BerthException.NotFound($"blob `{blob}`: not in repository `{repository}`");
        }
        foreach (var child in children)
        {
            if (StatManifest(repository, child) is null)
                throw BerthException.NotFound($"manifest `{child}`: not in repository `{repository}`");
        }
        // Touched under the push lock: a GC sweep that began its mark before this push spares them.
        foreach (var blob in blobs)
            _driver.Touch(RegistryLayout.Blob(blob));
        foreach (var child in children)
            _driver.Touch(RegistryLayout.Blob(child));
        var path = RegistryLayout.Blob(digest);
        if (_driver.Stat(path) is null)
            _driver.PutContent(path, bytes);
        else
            _driver.Touch(path);
        _driver.PutContent(RegistryLayout.Revision(repository, digest), Encoding.UTF8.GetBytes(mediaType));
        if (subject is { } s)
            _driver.PutContent(RegistryLayout.Referrer(repository, s, digest), Encoding.ASCII.GetBytes(digest.ToString()));
        if (tag is not null)
            _driver.PutContent(RegistryLayout.Tag(repository, tag), Encoding.ASCII.GetBytes(digest.ToString()));
    }

    /// <summary>
    /// Deletes a manifest from a repository: its revision, every tag pointing at it, and its referrer
    /// link. The bytes stay until GC. False when the repository has no such manifest.
    /// </summary>
    public bool DeleteManifest(string repository, Digest digest)
    {
        var manifest = StatManifest(repository, digest);
        if (manifest is null)
            return false;
        if (ReadManifest(manifest) is { } bytes && SubjectOf(bytes) is { } subject)
            _driver.Delete(RegistryLayout.Referrer(repository, subject, digest));
        foreach (var tag in _driver.List(RegistryLayout.Tags(repository)))
        {
            if (ResolveTag(repository, tag) == digest)
                _driver.Delete(RegistryLayout.Tag(repository, tag));
        }
        _driver.Delete(RegistryLayout.Revision(repository, digest));
        return true;
    }

    /// <summary>Deletes one tag; other tags on the same manifest, and the manifest, remain. False when there is no such tag.</summary>
    public bool DeleteTag(string repository, string tag)
    {
        var path = RegistryLayout.Tag(repository, tag);
        if (_driver.Stat(path) is null)
            return false;
        _driver.Delete(path);
        return true;
    }

    /// <summary>The repository's tags, sorted ordinally (as distribution lists them).</summary>
    public IReadOnlyList<string> Tags(string repository) => _driver.List(RegistryLayout.Tags(repository));

    /// <summary>The digests of the repository's manifests.</summary>
    public IEnumerable<Digest> Revisions(string repository)
    {
        foreach (var algorithm in _driver.List(RegistryLayout.Revisions(repository)))
        {
            foreach (var encoded in _driver.List(RegistryLayout.Revisions(repository) + "/" + algorithm))
            {
                if (Digest.TryParse(algorithm + ":" + encoded, out var digest))
                    yield return digest;
            }
        }
    }

    /// <summary>The manifests of the repository whose subject is <paramref name="subject"/>, as descriptors (end-12a).</summary>
    public List<Descriptor> Referrers(string repository, Digest subject)
    {
        var result = new List<Descriptor>();
        foreach (var name in _driver.List(RegistryLayout.Referrers(repository, subject)))
        {
            if (!RegistryLayout.TryParseLinkName(name, out var digest) || StatManifest(repository, digest) is not { } manifest)
                continue;
            var bytes = ReadManifest(manifest);
            if (bytes is null)
                continue;
            result.Add(DescribeReferrer(manifest, bytes));
        }
        return result;
    }

    private static Descriptor DescribeReferrer(ManifestRecord manifest, byte[] bytes)
    {
        string? artifactType = null;
        IReadOnlyDictionary<string, string>? annotations = null;
        try
        {
            if (MediaTypes.IsIndex(manifest.MediaType))
            {
                var index = ImageJson.ParseIndex(bytes);
                (artifactType, annotations) = (index.ArtifactType, index.Annotations);
            }
            else
            {
                var image = ImageJson.ParseManifest(bytes);
                (artifactType, annotations) = (image.ArtifactType ?? image.Config.MediaType, image.Annotations);
            }
        }
        catch (BerthException)
        {
            // Stored only after parsing, so this is not reached; describe it plainly if it is.
        }
        return new Descriptor
        {
            MediaType = manifest.MediaType,
            Digest = manifest.Digest.ToString(),
            Size = manifest.Size,
            ArtifactType = artifactType,
            Annotations = annotations,
        };
    }

    /// <summary>The subject a stored manifest names, or null.</summary>
    public static Digest? SubjectOf(byte[] bytes)
    {
        try
        {
            var kind = ImageJson.DetectMediaType(bytes);
            var subject = MediaTypes.IsIndex(kind) ? ImageJson.ParseIndex(bytes).Subject : MediaTypes.IsManifest(kind) ? ImageJson.ParseManifest(bytes).Subject : null;
            return subject is not null && Digest.TryParse(subject.Digest, out var digest) ? digest : null;
        }
        catch (BerthException)
        {
            return null;
        }
    }
}
