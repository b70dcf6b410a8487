using Berth.Oci;

namespace Berth.Registry.Storage;

/// <summary>
/// Where the registry keeps things, as paths for an <see cref="IStorageDriver"/>. Callers pass only
/// names already checked (a repository by <c>Reference.IsValidPath</c>, a tag by <c>IsValidTag</c>, a
/// parsed <see cref="Digest"/>, an upload id by <see cref="IsUploadId"/>), so no path can leave the root.
/// <code>
/// blobs/sha256/ab/abcd…                                  content, once, shared by every repository
/// repositories/NAME/_layers/sha256/abcd…                 link: NAME may serve this blob
/// repositories/NAME/_manifests/revisions/sha256/abcd…    link: a manifest of NAME (holds its media type)
/// repositories/NAME/_manifests/tags/TAG                  the digest TAG points at
/// repositories/NAME/_referrers/sha256/SUBJECT/sha256-abcd…  a manifest of NAME whose subject is SUBJECT
/// uploads/ID/data, uploads/ID/info                       an upload in progress (info: repository, start time)
/// gc.lock                                                shared by pushes, exclusive for a GC sweep
/// </code>
/// </summary>
public static class RegistryLayout
{
    public const string Blobs = "blobs";
    public const string Repositories = "repositories";
    public const string Uploads = "uploads";
    public const string GcLock = "gc.lock";

    public static string Blob(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded[..2]}/{digest.Encoded}";

    public static string Repository(string name) => "repositories/" + name;

    public static string Layer(string name, Digest digest) => $"repositories/{name}/_layers/{digest.Algorithm}/{digest.Encoded}";

    public static string Layers(string name) => $"repositories/{name}/_layers";

    public static string Revision(string name, Digest digest) => $"repositories/{name}/_manifests/revisions/{digest.Algorithm}/{digest.Encoded}";

    public static string Revisions(string name) => $"repositories/{name}/_manifests/revisions";

    public static string Tag(string name, string tag) => $"repositories/{name}/_manifests/tags/{tag}";

    public static string Tags(string name) => $"repositories/{name}/_manifests/tags";

    public static string Referrers(string name, Digest subject) => $"repositories/{name}/_referrers/{subject.Algorithm}/{subject.Encoded}";

    public static string Referrer(string name, Digest subject, Digest manifest) =>
        $"repositories/{name}/_referrers/{subject.Algorithm}/{subject.Encoded}/{manifest.Algorithm}-{manifest.Encoded}";

    public static string Upload(string id) => "uploads/" + id;

    public static string UploadData(string id) => $"uploads/{id}/data";

    public static string UploadInfo(string id) => $"uploads/{id}/info";

    /// <summary>Upload ids are 32 lowercase hex digits (a GUID's "N" form); anything else names no upload.</summary>
    public static bool IsUploadId(string? id) =>
        id is { Length: 32 } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>Parses "alg-hex" (a referrer link's name) back into a digest.</summary>
    public static bool TryParseLinkName(string name, out Digest digest)
    {
        var dash = name.IndexOf('-');
        digest = default;
        return dash > 0 && Digest.TryParse(name[..dash] + ":" + name[(dash + 1)..], out digest);
    }
}
