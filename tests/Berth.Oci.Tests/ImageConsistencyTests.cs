using System.Text;
using Berth.Errdefs;
using Berth.Oci.Image;

namespace Berth.Oci.Tests;

public sealed class ImageConsistencyTests
{
    private const string DiffId = "sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1";

    private static Manifest ManifestWith(int layers, string configType = MediaTypes.OciConfig, string layerType = MediaTypes.OciLayerGzip) => new()
    {
        MediaType = MediaTypes.OciManifest,
        Config = Descriptor.Of(configType, "{}"u8),
        Layers = Enumerable.Range(0, layers).Select(i => Descriptor.Of(layerType, [(byte)i])).ToList(),
    };

    private static ImageConfig ConfigWith(int diffIds, params bool[] history) => new()
    {
        Architecture = "amd64",
        Os = "linux",
        RootFs = new RootFs { DiffIds = Enumerable.Repeat(DiffId, diffIds).ToList() },
        History = history.Length == 0 ? null : history.Select(empty => new History { EmptyLayer = empty ? true : null }).ToList(),
    };

    [Fact]
    public void Descriptor_of_content_has_its_digest_and_size()
    {
        var descriptor = Descriptor.Of(MediaTypes.OciEmpty, "{}"u8);
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", descriptor.Digest);
        Assert.Equal(2, descriptor.Size);
        Assert.Equal(MediaTypes.OciEmpty, descriptor.MediaType);
    }

    [Fact]
    public void Agreeing_manifest_and_config_pass()
    {
        ImageConsistency.Check(ManifestWith(2), ConfigWith(2, false, true, false));
        ImageConsistency.Check(ManifestWith(0), ConfigWith(0));
        ImageConsistency.Check(ManifestWith(1, MediaTypes.DockerConfig, MediaTypes.DockerLayerGzip), ConfigWith(1));
    }

    [Fact]
    public void The_spec_example_config_agrees_with_two_layers()
    {
        var config = ImageJson.ParseConfig(Encoding.UTF8.GetBytes(ImageRoundTripTests.OciConfig));
        ImageConsistency.Check(ManifestWith(2), config);
    }

    [Theory]
    [InlineData(3, 2, "3 layers but the config has 2 diff ids")]
    [InlineData(1, 2, "1 layers but the config has 2 diff ids")]
    public void Layer_count_must_match_diff_ids(int layers, int diffIds, string message)
    {
        var e = Assert.Throws<BerthException>(() => ImageConsistency.Check(ManifestWith(layers), ConfigWith(diffIds)));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void History_must_match_diff_ids_once_empty_layers_are_skipped()
    {
        var e = Assert.Throws<BerthException>(() => ImageConsistency.Check(ManifestWith(2), ConfigWith(2, false, true, true)));
        Assert.Contains("history has 1 steps", e.Message);
    }

    [Fact]
    public void Media_types_must_be_a_config_and_layers()
    {
        Assert.Contains("is not an image config", Assert.Throws<BerthException>(() =>
            ImageConsistency.Check(ManifestWith(1, configType: "application/vnd.example+type"), ConfigWith(1))).Message);
        Assert.Contains("layer 0 media type", Assert.Throws<BerthException>(() =>
            ImageConsistency.Check(ManifestWith(1, layerType: MediaTypes.OciManifest), ConfigWith(1))).Message);
    }
}
