namespace Berth.Distribution.Routes;

/// <summary>The endpoints of the OCI distribution spec 1.1 (its end-1 … end-13 table), one per resource.</summary>
public enum RouteName
{
    /// <summary><c>/v2/</c>: the API version check (end-1).</summary>
    Base,

    /// <summary><c>/v2/_catalog</c>: repositories (distribution's extension, which every client knows).</summary>
    Catalog,

    /// <summary><c>/v2/NAME/tags/list</c> (end-8a/8b).</summary>
    Tags,

    /// <summary><c>/v2/NAME/manifests/REFERENCE</c>, a tag or a digest (end-3, end-7, end-9).</summary>
    Manifest,

    /// <summary><c>/v2/NAME/blobs/DIGEST</c> (end-2, end-10).</summary>
    Blob,

    /// <summary><c>/v2/NAME/blobs/uploads/</c>: starts an upload, or mounts a blob (end-4a/4b, end-11).</summary>
    BlobUploads,

    /// <summary><c>/v2/NAME/blobs/uploads/SESSION</c>: one upload (end-5, end-6, end-13).</summary>
    BlobUpload,

    /// <summary><c>/v2/NAME/referrers/DIGEST</c> (end-12a/12b).</summary>
    Referrers,
}
