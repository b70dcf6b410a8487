namespace Berth.Oci.Image;

/// <summary>What a media type names, as far as pulling, storing and running an image care.</summary>
public enum MediaTypeKind
{
    /// <summary>Not one Berth knows: an artifact, a signature, a schema-1 manifest.</summary>
    Unknown,

    /// <summary>An image manifest: OCI, or Docker schema 2.</summary>
    Manifest,

    /// <summary>A list of manifests: an OCI index, or a Docker manifest list.</summary>
    Index,

    /// <summary>An image configuration: OCI, or Docker's container.image.v1.</summary>
    Config,

    /// <summary>A filesystem layer, a tar stream compressed as <see cref="LayerCompression"/> says.</summary>
    Layer,

    /// <summary>The empty descriptor's content <c>{}</c> (image-spec 1.1), for artifacts.</summary>
    Empty,
}
