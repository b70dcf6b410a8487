namespace Berth.Oci.Image;

/// <summary>
/// The media types of image-spec 1.1 (media-types.md) and of Docker's image manifest v2
/// schema 2, and a classifier for them. Docker's schema-2 manifest and manifest list have the
/// same JSON shapes as the OCI manifest and index, so one set of types reads both.
/// </summary>
public static class MediaTypes
{
    public const string OciDescriptor = "application/vnd.oci.descriptor.v1+json";
    public const string OciLayoutHeader = "application/vnd.oci.layout.header.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string OciLayerNondistributable = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public const string OciLayerNondistributableGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public const string OciLayerNondistributableZstd = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerLayerZstd = "application/vnd.docker.image.rootfs.diff.tar.zstd";
    public const string DockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    /// <summary>Schema 1 is obsolete; named only so that it can be refused by name.</summary>
    public const string DockerManifestSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
    public const string DockerManifestSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /// <summary>
    /// What <paramref name="mediaType"/> names. Parameters (<c>; charset=utf-8</c>, as an HTTP
    /// Content-Type may carry) and letter case are ignored, as RFC 6838 says they may be.
    /// </summary>
    public static MediaTypeKind Kind(string? mediaType) => Essence(mediaType) switch
    {
        OciManifest or DockerManifest => MediaTypeKind.Manifest,
        OciIndex or DockerManifestList => MediaTypeKind.Index,
        OciConfig or DockerConfig => MediaTypeKind.Config,
        OciEmpty => MediaTypeKind.Empty,
        var other when LayerCompressionOf(other) is not null => MediaTypeKind.Layer,
        _ => MediaTypeKind.Unknown,
    };

    public static bool IsManifest(string? mediaType) => Kind(mediaType) == MediaTypeKind.Manifest;

    public static bool IsIndex(string? mediaType) => Kind(mediaType) == MediaTypeKind.Index;

    public static bool IsConfig(string? mediaType) => Kind(mediaType) == MediaTypeKind.Config;

    public static bool IsLayer(string? mediaType) => Kind(mediaType) == MediaTypeKind.Layer;

    /// <summary>
    /// The compression of a layer media type, or null when it is not a layer. Throws nothing:
    /// callers decide whether an unknown layer type is an error.
    /// </summary>
    public static LayerCompression? Compression(string? mediaType) => LayerCompressionOf(Essence(mediaType));

    /// <summary>
    /// True for layers a registry may not be asked to store (OCI nondistributable, Docker
    /// foreign): they are fetched from their descriptor's URLs and are not pushed.
    /// </summary>
    public static bool IsNondistributable(string? mediaType) =>
        Essence(mediaType) is OciLayerNondistributable or OciLayerNondistributableGzip or OciLayerNondistributableZstd
            or DockerForeignLayerGzip;

    /// <summary>The media type without parameters or surrounding space, in lowercase.</summary>
    public static string Essence(string? mediaType)
    {
        if (string.IsNullOrEmpty(mediaType))
            return "";
        var semicolon = mediaType.IndexOf(';');
        var essence = (semicolon >= 0 ? mediaType[..semicolon] : mediaType).Trim();
        return essence.ToLowerInvariant();
    }

    private static LayerCompression? LayerCompressionOf(string essence) => essence switch
    {
        OciLayer or OciLayerNondistributable or DockerLayer => LayerCompression.None,
        OciLayerGzip or OciLayerNondistributableGzip or DockerLayerGzip or DockerForeignLayerGzip => LayerCompression.Gzip,
        OciLayerZstd or OciLayerNondistributableZstd or DockerLayerZstd => LayerCompression.Zstd,
        _ => null,
    };
}
