using System.Text;
using Berth.Oci.Image;

namespace Berth.Oci.Tests;

public sealed class ImagePlatformTests
{
    private static Platform P(string os, string arch, string? variant = null) =>
        new() { Os = os, Architecture = arch, Variant = variant };

    [Theory]
    [InlineData("linux", "x86_64", null, "linux/amd64")]
    [InlineData("linux", "x86-64", null, "linux/amd64")]
    [InlineData("linux", "amd64", "v1", "linux/amd64")]
    [InlineData("linux", "amd64", "v3", "linux/amd64/v3")]
    [InlineData("Linux", "AMD64", null, "linux/amd64")]
    [InlineData("linux", "aarch64", null, "linux/arm64")]
    [InlineData("linux", "arm64", "v8", "linux/arm64")]
    [InlineData("linux", "arm64", "8", "linux/arm64")]
    [InlineData("linux", "arm", null, "linux/arm/v7")]
    [InlineData("linux", "arm", "6", "linux/arm/v6")]
    [InlineData("linux", "armhf", null, "linux/arm/v7")]
    [InlineData("linux", "armel", null, "linux/arm/v6")]
    [InlineData("linux", "i386", null, "linux/386")]
    [InlineData("macos", "arm64", null, "darwin/arm64")]
    [InlineData("linux", "s390x", null, "linux/s390x")]
    public void Platforms_normalise_as_containerd_does(string os, string arch, string? variant, string expected) =>
        Assert.Equal(expected, P(os, arch, variant).Normalize().ToString());

    [Fact]
    public void Matching_compares_normalised_platforms()
    {
        Assert.True(P("linux", "x86_64").Matches(P("linux", "amd64")));
        Assert.True(P("linux", "arm64", "v8").Matches(P("linux", "aarch64")));
        Assert.True(P("linux", "arm").Matches(P("linux", "arm", "v7")));
        Assert.False(P("linux", "arm", "v6").Matches(P("linux", "arm", "v7")));
        Assert.False(P("linux", "amd64").Matches(P("windows", "amd64")));
        Assert.False(P("linux", "amd64").Matches(P("linux", "arm64")));
    }

    [Fact]
    public void Host_is_linux_and_normalised()
    {
        Assert.Equal("linux", Platform.Host.Os);
        Assert.Equal(Platform.Host, Platform.Host.Normalize());
        Assert.NotEqual("", Platform.Host.Architecture);
    }

    [Fact]
    public void Index_finds_the_manifest_for_a_platform()
    {
        var index = ImageJson.ParseIndex(Encoding.UTF8.GetBytes(ImageRoundTripTests.DockerManifestList));
        Assert.Equal("sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270", index.FindManifest(P("linux", "x86_64"))!.Digest);
        Assert.Equal("sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0", index.FindManifest(P("windows", "amd64"))!.Digest);
        Assert.Equal("sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1", index.FindManifest(P("linux", "aarch64"))!.Digest);
        Assert.Null(index.FindManifest(P("linux", "riscv64")));
    }

    [Fact]
    public void Attestation_entries_are_not_chosen()
    {
        var json = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0","size":1,"platform":{"architecture":"unknown","os":"unknown"},
               "annotations":{"vnd.docker.reference.type":"attestation-manifest"}},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1","size":1,"platform":{"architecture":"amd64","os":"linux"}}]}
            """;
        var index = ImageJson.ParseIndex(Encoding.UTF8.GetBytes(json));
        Assert.Equal("sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1", index.FindManifest(P("linux", "amd64"))!.Digest);
        Assert.Null(index.FindManifest(P("unknown", "arm64")));
    }
}
