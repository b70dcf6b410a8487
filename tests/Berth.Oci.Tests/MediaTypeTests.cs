using Berth.Oci.Image;

namespace Berth.Oci.Tests;

public sealed class MediaTypeTests
{
    [Theory]
    [InlineData(MediaTypes.OciManifest, MediaTypeKind.Manifest)]
    [InlineData(MediaTypes.DockerManifest, MediaTypeKind.Manifest)]
    [InlineData(MediaTypes.OciIndex, MediaTypeKind.Index)]
    [InlineData(MediaTypes.DockerManifestList, MediaTypeKind.Index)]
    [InlineData(MediaTypes.OciConfig, MediaTypeKind.Config)]
    [InlineData(MediaTypes.DockerConfig, MediaTypeKind.Config)]
    [InlineData(MediaTypes.OciEmpty, MediaTypeKind.Empty)]
    [InlineData(MediaTypes.OciLayer, MediaTypeKind.Layer)]
    [InlineData(MediaTypes.OciLayerGzip, MediaTypeKind.Layer)]
    [InlineData(MediaTypes.OciLayerZstd, MediaTypeKind.Layer)]
    [InlineData(MediaTypes.OciLayerNondistributableGzip, MediaTypeKind.Layer)]
    [InlineData(MediaTypes.DockerLayerGzip, MediaTypeKind.Layer)]
    [InlineData(MediaTypes.DockerForeignLayerGzip, MediaTypeKind.Layer)]
    [InlineData(MediaTypes.DockerManifestSchema1, MediaTypeKind.Unknown)]
    [InlineData(MediaTypes.DockerManifestSchema1Signed, MediaTypeKind.Unknown)]
    [InlineData("application/vnd.example+type", MediaTypeKind.Unknown)]
    [InlineData("application/json", MediaTypeKind.Unknown)]
    [InlineData("", MediaTypeKind.Unknown)]
    [InlineData(null, MediaTypeKind.Unknown)]
    [InlineData("application/vnd.oci.image.manifest.v1+json; charset=utf-8", MediaTypeKind.Manifest)]
    [InlineData("  Application/VND.Docker.Distribution.Manifest.List.V2+JSON ", MediaTypeKind.Index)]
    public void Media_types_are_classified(string? mediaType, MediaTypeKind kind) =>
        Assert.Equal(kind, MediaTypes.Kind(mediaType));

    [Theory]
    [InlineData(MediaTypes.OciLayer, LayerCompression.None)]
    [InlineData(MediaTypes.OciLayerGzip, LayerCompression.Gzip)]
    [InlineData(MediaTypes.OciLayerZstd, LayerCompression.Zstd)]
    [InlineData(MediaTypes.OciLayerNondistributable, LayerCompression.None)]
    [InlineData(MediaTypes.OciLayerNondistributableGzip, LayerCompression.Gzip)]
    [InlineData(MediaTypes.OciLayerNondistributableZstd, LayerCompression.Zstd)]
    [InlineData(MediaTypes.DockerLayer, LayerCompression.None)]
    [InlineData(MediaTypes.DockerLayerGzip, LayerCompression.Gzip)]
    [InlineData(MediaTypes.DockerLayerZstd, LayerCompression.Zstd)]
    [InlineData(MediaTypes.DockerForeignLayerGzip, LayerCompression.Gzip)]
    [InlineData(MediaTypes.OciManifest, null)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+bzip2", null)]
    public void Layer_compression_is_read_off_the_media_type(string mediaType, LayerCompression? compression)
    {
        Assert.Equal(compression, MediaTypes.Compression(mediaType));
        Assert.Equal(compression is not null, MediaTypes.IsLayer(mediaType));
    }

    [Theory]
    [InlineData(MediaTypes.OciLayerNondistributable, true)]
    [InlineData(MediaTypes.OciLayerNondistributableGzip, true)]
    [InlineData(MediaTypes.OciLayerNondistributableZstd, true)]
    [InlineData(MediaTypes.DockerForeignLayerGzip, true)]
    [InlineData(MediaTypes.OciLayerGzip, false)]
    [InlineData(MediaTypes.DockerLayerGzip, false)]
    public void Nondistributable_layers_are_recognised(string mediaType, bool expected) =>
        Assert.Equal(expected, MediaTypes.IsNondistributable(mediaType));

    [Fact]
    public void Predicates_agree_with_kind()
    {
        Assert.True(MediaTypes.IsManifest(MediaTypes.DockerManifest));
        Assert.True(MediaTypes.IsIndex(MediaTypes.OciIndex));
        Assert.True(MediaTypes.IsConfig(MediaTypes.DockerConfig));
        Assert.False(MediaTypes.IsManifest(MediaTypes.OciIndex));
        Assert.Equal("application/vnd.oci.image.index.v1+json", MediaTypes.Essence("application/vnd.oci.image.index.v1+json;x=y"));
    }
}
