using System.Text;
using Berth.Errdefs;
using Berth.Oci.Image;

namespace Berth.Oci.Tests;

/// <summary>Untrusted image JSON: every bad document is refused with InvalidArgument and the field's path.</summary>
public sealed class ImageBadInputTests
{
    private const string LayerDigest = "sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0";

    private static BerthException Refused(Action parse)
    {
        var e = Assert.Throws<BerthException>(parse);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        return e;
    }

    private static BerthException RefusedManifest(string json) =>
        Refused(() => ImageJson.ParseManifest(Encoding.UTF8.GetBytes(json)));

    private static BerthException RefusedIndex(string json) =>
        Refused(() => ImageJson.ParseIndex(Encoding.UTF8.GetBytes(json)));

    private static BerthException RefusedConfig(string json) =>
        Refused(() => ImageJson.ParseConfig(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(500)]
    public void Truncated_manifest_is_refused(int length)
    {
        var e = RefusedManifest(ImageRoundTripTests.OciManifest[..length]);
        Assert.StartsWith("parse manifest: ", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"manifest\"")]
    [InlineData("{")]
    [InlineData("{}")]
    public void Documents_that_are_not_manifests_are_refused(string json) =>
        Assert.StartsWith("parse manifest", RefusedManifest(json).Message);

    [Theory]
    [InlineData("\"schemaVersion\": 2", "\"schemaVersion\": 1")]
    [InlineData("\"schemaVersion\": 2", "\"schemaVersion\": 3")]
    public void Wrong_schema_version_is_refused(string from, string to)
    {
        var e = RefusedManifest(ImageRoundTripTests.OciManifest.Replace(from, to));
        Assert.Contains("field `$.schemaVersion`", e.Message);
        Assert.Contains("want 2", e.Message);
    }

    [Fact]
    public void Missing_schema_version_is_refused() =>
        Assert.Contains("schemaVersion", RefusedManifest(ImageRoundTripTests.OciManifest.Replace("\"schemaVersion\": 2,", "")).Message);

    [Fact]
    public void Bad_layer_digest_names_the_layer()
    {
        var json = ImageRoundTripTests.OciManifest.Replace(
            "sha256:3c3a4604a545cdc127456d94e421cd355bca5b528f4a9c1905b15da2eb4a4c6b", "sha256:3C3A");
        var e = RefusedManifest(json);
        Assert.Equal("parse manifest: field `$.layers[1].digest`: invalid digest `sha256:3C3A`", e.Message);
    }

    [Theory]
    [InlineData("sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7", "md5:d41d8cd98f00b204e9800998ecf8427e", "$.config.digest")]
    [InlineData("sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7", "../../etc/passwd", "$.config.digest")]
    [InlineData("sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270", "", "$.subject.digest")]
    [InlineData("\"size\": 16724", "\"size\": -1", "$.layers[1].size")]
    [InlineData("\"size\": 7023", "\"size\": \"big\"", "$.config.size")]
    [InlineData("\"size\": 7023", "\"size\": 1.5", "$.config.size")]
    [InlineData("\"mediaType\": \"application/vnd.oci.image.config.v1+json\",", "", "$.config.mediaType")]
    [InlineData("\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n  \"config\"", "\"mediaType\": \"application/vnd.oci.image.index.v1+json\",\n  \"config\"", "$.mediaType")]
    [InlineData("\"layers\": [", "\"layers\": 7, \"x\": [", "$.layers")]
    public void Bad_fields_are_refused_with_their_path(string from, string to, string path)
    {
        var json = ImageRoundTripTests.OciManifest.Replace(from, to);
        Assert.NotEqual(ImageRoundTripTests.OciManifest, json);
        Assert.Contains($"`{path}", RefusedManifest(json).Message);
    }

    [Fact]
    public void Missing_config_is_refused() =>
        Assert.Contains("'config'", RefusedManifest("""{"schemaVersion":2,"layers":[]}""").Message);

    [Fact]
    public void Missing_layers_are_refused() =>
        Assert.Contains("'layers'", RefusedManifest(
            """{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}}""").Message);

    [Fact]
    public void Missing_manifests_are_refused() =>
        Assert.Contains("'manifests'", RefusedIndex("""{"schemaVersion":2}""").Message);

    [Fact]
    public void Null_layer_is_refused() =>
        Assert.Contains("$.layers[0]", RefusedManifest(
            """{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[null]}""").Message);

    [Fact]
    public void Duplicate_keys_are_refused()
    {
        // Two readers must never disagree on which config or layers a manifest names.
        var json = ImageRoundTripTests.OciManifest.Replace("\"layers\": [", "\"layers\": [], \"layers\": [");
        RefusedManifest(json);
    }

    [Fact]
    public void Embedded_data_must_match_its_digest_and_size()
    {
        var wrongData = ImageRoundTripTests.ArtifactManifest.Replace("\"data\": \"e30=\"\n  }", "\"data\": \"W10=\"\n  }");
        Assert.Contains("$.config.data", RefusedManifest(wrongData).Message);
        var wrongSize = ImageRoundTripTests.ArtifactManifest.Replace("\"data\": \"e30=\"\n  }", "\"data\": \"e30K\"\n  }");
        Assert.Contains("$.config.data", RefusedManifest(wrongSize).Message);
        var notBase64 = ImageRoundTripTests.ArtifactManifest.Replace("\"data\": \"e30=\"\n  }", "\"data\": \"!!\"\n  }");
        Assert.Contains("$.config.data", RefusedManifest(notBase64).Message);
    }

    [Fact]
    public void Oversized_manifest_is_refused_before_it_is_read()
    {
        var big = new byte[ImageJson.MaxManifestBytes + 1];
        var e = Refused(() => ImageJson.ParseManifest(big));
        Assert.Contains("larger than the limit of 4194304", e.Message);
        var small = Encoding.UTF8.GetBytes(ImageRoundTripTests.OciManifest);
        Assert.Contains("larger than the limit of 100", Refused(() => ImageJson.ParseManifest(small, maxBytes: 100)).Message);
    }

    [Fact]
    public void Manifest_of_exactly_the_limit_is_read()
    {
        var json = Encoding.UTF8.GetBytes(ImageRoundTripTests.OciManifest);
        Assert.Equal(3, ImageJson.ParseManifest(json, maxBytes: json.Length).Layers.Count);
    }

    [Fact]
    public void Index_is_not_a_manifest_and_a_manifest_is_not_an_index()
    {
        Assert.Equal(
            "parse manifest: field `$.mediaType`: media type `application/vnd.oci.image.index.v1+json` is not an image manifest",
            RefusedManifest(ImageRoundTripTests.OciIndex).Message);
        Assert.Equal(
            "parse index: field `$.mediaType`: media type `application/vnd.docker.distribution.manifest.v2+json` is not an image index",
            RefusedIndex(ImageRoundTripTests.DockerManifest).Message);
    }

    [Theory]
    [InlineData("\"schemaVersion\": 2", "\"schemaVersion\": 1", "$.schemaVersion")]
    [InlineData("sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f", "sha256:e69", "$.manifests[0].digest")]
    [InlineData("\"size\": 7682", "\"size\": -7682", "$.manifests[1].size")]
    [InlineData("\"os\": \"linux\"\n      }\n    },\n    {", "\"os\": \"\"\n      }\n    },\n    {", "$.manifests[0].platform.os")]
    [InlineData("\"architecture\": \"amd64\",", "", "$.manifests[1].platform.architecture")]
    [InlineData("\"manifests\": [", "\"manifests\": {}, \"x\": [", "$.manifests")]
    public void Bad_index_fields_are_refused_with_their_path(string from, string to, string path)
    {
        var json = ImageRoundTripTests.OciIndex.Replace(from, to);
        Assert.NotEqual(ImageRoundTripTests.OciIndex, json);
        var e = RefusedIndex(json);
        Assert.StartsWith("parse index: ", e.Message);
        Assert.Contains($"`{path}", e.Message);
    }

    [Fact]
    public void Oversized_index_is_refused() =>
        Refused(() => ImageJson.ParseIndex(new byte[ImageJson.MaxIndexBytes + 1]));

    [Theory]
    [InlineData("\"type\": \"layers\"", "\"type\": \"tarballs\"", "$.rootfs.type")]
    [InlineData("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef", "sha256:nothex", "$.rootfs.diff_ids[1]")]
    [InlineData("\"empty_layer\": true", "\"empty_layer\": \"yes\"", "$.history[1].empty_layer")]
    [InlineData("\"WorkingDir\": \"/home/alice\"", "\"WorkingDir\": [\"/home/alice\"]", "$.config.WorkingDir")]
    [InlineData("\"ExposedPorts\": {", "\"ExposedPorts\": [{", "$.config.ExposedPorts")]
    public void Bad_config_fields_are_refused_with_their_path(string from, string to, string path)
    {
        var json = ImageRoundTripTests.OciConfig.Replace(from, to);
        Assert.NotEqual(ImageRoundTripTests.OciConfig, json);
        var e = RefusedConfig(json);
        Assert.StartsWith("parse image config: ", e.Message);
        Assert.Contains($"`{path}", e.Message);
    }

    [Fact]
    public void Config_without_rootfs_is_refused() =>
        Assert.Contains("$.rootfs", RefusedConfig("""{"architecture":"amd64","os":"linux"}""").Message);

    [Fact]
    public void Oversized_config_is_refused() =>
        Refused(() => ImageJson.ParseConfig(new byte[ImageJson.MaxConfigBytes + 1]));

    [Fact]
    public void Lone_descriptor_is_checked()
    {
        var e = Refused(() => ImageJson.ParseDescriptor("""{"mediaType":"x","digest":"sha256:1","size":1}"""u8));
        Assert.Equal("parse descriptor: field `$.digest`: invalid digest `sha256:1`", e.Message);
        Assert.Equal(LayerDigest, ImageJson.ParseDescriptor(Encoding.UTF8.GetBytes($$"""{"mediaType":"x","digest":"{{LayerDigest}}","size":1}""")).Digest);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1]")]
    [InlineData("{\"mediaType\":")]
    public void Detecting_the_media_type_of_a_non_object_is_refused(string json) =>
        Refused(() => ImageJson.DetectMediaType(Encoding.UTF8.GetBytes(json)));
}
