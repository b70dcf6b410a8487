using Berth.Distribution.Routes;

namespace Berth.Distribution.Tests;

public class RouteTableTests
{
    [Theory]
    [InlineData("/v2/", RouteName.Base, "", null)]
    [InlineData("/v2", RouteName.Base, "", null)]
    [InlineData("/v2/_catalog", RouteName.Catalog, "", null)]
    [InlineData("/v2/library/busybox/tags/list", RouteName.Tags, "library/busybox", null)]
    [InlineData("/v2/a/b/c/manifests/latest", RouteName.Manifest, "a/b/c", "latest")]
    [InlineData("/v2/a/manifests/sha256:abc", RouteName.Manifest, "a", "sha256:abc")]
    [InlineData("/v2/a/blobs/sha256:abc", RouteName.Blob, "a", "sha256:abc")]
    [InlineData("/v2/a/blobs/uploads/", RouteName.BlobUploads, "a", null)]
    [InlineData("/v2/a/blobs/uploads", RouteName.BlobUploads, "a", null)]
    [InlineData("/v2/a/blobs/uploads/0f3c-uuid", RouteName.BlobUpload, "a", "0f3c-uuid")]
    [InlineData("/v2/a/referrers/sha256:abc", RouteName.Referrers, "a", "sha256:abc")]
    // A repository may itself contain a resource word: the last one wins, as in distribution.
    [InlineData("/v2/manifests/blobs/manifests/x", RouteName.Manifest, "manifests/blobs", "x")]
    [InlineData("/v2/tags/list/tags/list", RouteName.Tags, "tags/list", null)]
    public void Matches_the_spec_paths(string path, RouteName name, string repository, string? argument)
    {
        Assert.True(RouteTable.TryMatch(path, out var route));
        Assert.Equal(new Route(name, repository, argument), route);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/v1/_ping")]
    [InlineData("/v2/a")]
    [InlineData("/v2/a/manifests/")]
    [InlineData("/v2/manifests/x")]
    [InlineData("/v2/a/blobs")]
    [InlineData("/v2/a/unknown/x")]
    public void Refuses_other_paths(string path) => Assert.False(RouteTable.TryMatch(path, out _));

    [Theory]
    [InlineData(RouteName.Manifest, "library/busybox", "latest")]
    [InlineData(RouteName.Blob, "x/y", "sha256:0123")]
    [InlineData(RouteName.BlobUploads, "x", null)]
    [InlineData(RouteName.BlobUpload, "x", "id")]
    [InlineData(RouteName.Tags, "x", null)]
    [InlineData(RouteName.Referrers, "x", "sha256:0123")]
    [InlineData(RouteName.Catalog, "", null)]
    public void Build_and_match_agree(RouteName name, string repository, string? argument)
    {
        Assert.True(RouteTable.TryMatch(RouteTable.Build(name, repository, argument), out var route));
        Assert.Equal(new Route(name, repository, argument), route);
    }

    [Fact]
    public void Query_values_are_escaped() =>
        Assert.Equal("/v2/a/tags/list?n=2&last=a%2Bb", RouteTable.WithQuery("/v2/a/tags/list", ("n", "2"), ("last", "a+b"), ("x", null)));
}
