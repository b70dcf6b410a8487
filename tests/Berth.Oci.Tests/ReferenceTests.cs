using Berth.Errdefs;
using Berth.Oci.References;

namespace Berth.Oci.Tests;

/// <summary>
/// Golden cases for reference parsing, most taken from how docker's distribution/reference
/// behaves (its normalize_test.go and reference_test.go cases, checked by hand).
/// </summary>
public sealed class ReferenceTests
{
    private const string D = "sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa";
    private const string Hex64 = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";
    private static readonly string D512 = "sha512:" + new string('a', 128);

    // input, canonical, domain, path, tag, digest, familiar
    public static TheoryData<string, string, string, string, string?, string?, string> Valid => new()
    {
        { "busybox", "docker.io/library/busybox", "docker.io", "library/busybox", null, null, "busybox" },
        { "busybox:latest", "docker.io/library/busybox:latest", "docker.io", "library/busybox", "latest", null, "busybox:latest" },
        { "user/app", "docker.io/user/app", "docker.io", "user/app", null, null, "user/app" },
        { "docker.io/busybox", "docker.io/library/busybox", "docker.io", "library/busybox", null, null, "busybox" },
        { "docker.io/library/busybox:1.36", "docker.io/library/busybox:1.36", "docker.io", "library/busybox", "1.36", null, "busybox:1.36" },
        { "index.docker.io/library/busybox", "docker.io/library/busybox", "docker.io", "library/busybox", null, null, "busybox" },
        { "index.docker.io/busybox", "docker.io/library/busybox", "docker.io", "library/busybox", null, null, "busybox" },
        { "index.docker.io/user/app:v1", "docker.io/user/app:v1", "docker.io", "user/app", "v1", null, "user/app:v1" },
        { "localhost/foo", "localhost/foo", "localhost", "foo", null, null, "localhost/foo" },
        { "localhost:5000/a/b:tag", "localhost:5000/a/b:tag", "localhost:5000", "a/b", "tag", null, "localhost:5000/a/b:tag" },
        { "foo:5000/bar", "foo:5000/bar", "foo:5000", "bar", null, null, "foo:5000/bar" },
        { "ghcr.io/x/y@" + D, "ghcr.io/x/y@" + D, "ghcr.io", "x/y", null, D, "ghcr.io/x/y@" + D },
        { "busybox@" + D, "docker.io/library/busybox@" + D, "docker.io", "library/busybox", null, D, "busybox@" + D },
        { "busybox:1.36@" + D, "docker.io/library/busybox:1.36@" + D, "docker.io", "library/busybox", "1.36", D, "busybox:1.36@" + D },
        { "busybox:LATEST", "docker.io/library/busybox:LATEST", "docker.io", "library/busybox", "LATEST", null, "busybox:LATEST" },
        { "busybox:_x.Y-z", "docker.io/library/busybox:_x.Y-z", "docker.io", "library/busybox", "_x.Y-z", null, "busybox:_x.Y-z" },
        // An uppercase first component can only be a host: paths are lowercase.
        { "Foo/bar", "Foo/bar", "Foo", "bar", null, null, "Foo/bar" },
        { "FOO/bar", "FOO/bar", "FOO", "bar", null, null, "FOO/bar" },
        { "Example.COM/foo", "Example.COM/foo", "Example.COM", "foo", null, null, "Example.COM/foo" },
        // A single component is never a host, as in docker.
        { "localhost", "docker.io/library/localhost", "docker.io", "library/localhost", null, null, "localhost" },
        { "localhost:5000", "docker.io/library/localhost:5000", "docker.io", "library/localhost", "5000", null, "localhost:5000" },
        { "a.b", "docker.io/library/a.b", "docker.io", "library/a.b", null, null, "a.b" },
        { "192.168.0.1", "docker.io/library/192.168.0.1", "docker.io", "library/192.168.0.1", null, null, "192.168.0.1" },
        { "192.168.0.1:80", "docker.io/library/192.168.0.1:80", "docker.io", "library/192.168.0.1", "80", null, "192.168.0.1:80" },
        { "127.0.0.1:5000/debian", "127.0.0.1:5000/debian", "127.0.0.1:5000", "debian", null, null, "127.0.0.1:5000/debian" },
        { "192.168.0.1:8/debian", "192.168.0.1:8/debian", "192.168.0.1:8", "debian", null, null, "192.168.0.1:8/debian" },
        { "[fc00::1]:5000/docker/docker", "[fc00::1]:5000/docker/docker", "[fc00::1]:5000", "docker/docker", null, null, "[fc00::1]:5000/docker/docker" },
        { "[fc00:1:2:3:4:5:6:7]:5000/library/debian", "[fc00:1:2:3:4:5:6:7]:5000/library/debian", "[fc00:1:2:3:4:5:6:7]:5000", "library/debian", null, null, "[fc00:1:2:3:4:5:6:7]:5000/library/debian" },
        // library/ is stripped only for a single name under it.
        { "library/foo/bar", "docker.io/library/foo/bar", "docker.io", "library/foo/bar", null, null, "library/foo/bar" },
        { "other/library", "docker.io/other/library", "docker.io", "other/library", null, null, "other/library" },
        { "store/foo/bar", "docker.io/store/foo/bar", "docker.io", "store/foo/bar", null, null, "store/foo/bar" },
        { "docker---rules/docker", "docker.io/docker---rules/docker", "docker.io", "docker---rules/docker", null, null, "docker---rules/docker" },
        { "dock__er/docker", "docker.io/dock__er/docker", "docker.io", "dock__er/docker", null, null, "dock__er/docker" },
        { "test_com/foo", "docker.io/test_com/foo", "docker.io", "test_com/foo", null, null, "test_com/foo" },
        { "test-com:8080/foo", "test-com:8080/foo", "test-com:8080", "foo", null, null, "test-com:8080/foo" },
        { "xn--n3h.com:18080/foo", "xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo", null, null, "xn--n3h.com:18080/foo" },
        { "d/docker", "docker.io/d/docker", "docker.io", "d/docker", null, null, "d/docker" },
        { "registry.example.com/a/b/c:v1.2-rc_3", "registry.example.com/a/b/c:v1.2-rc_3", "registry.example.com", "a/b/c", "v1.2-rc_3", null, "registry.example.com/a/b/c:v1.2-rc_3" },
        { "docker.io/" + Hex64, "docker.io/library/" + Hex64, "docker.io", "library/" + Hex64, null, null, Hex64 },
        { Hex64[..63], "docker.io/library/" + Hex64[..63], "docker.io", "library/" + Hex64[..63], null, null, Hex64[..63] },
        { "quay.io/a/b@" + D512, "quay.io/a/b@" + D512, "quay.io", "a/b", null, D512, "quay.io/a/b@" + D512 },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_references_normalise_as_docker_does(string input, string canonical, string domain, string path, string? tag, string? digest, string familiar)
    {
        var reference = Reference.Parse(input);
        Assert.Equal(canonical, reference.ToString());
        Assert.Equal(domain, reference.Domain);
        Assert.Equal(path, reference.Path);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest?.ToString());
        Assert.Equal(familiar, reference.Familiar);
        Assert.Equal(domain + "/" + path, reference.Name);
        // The canonical and familiar forms parse back to the same reference.
        Assert.Equal(reference, Reference.Parse(canonical));
        // ...except a familiar name that is 64 hex digits, which docker too reads as an image id.
        if (familiar != Hex64)
            Assert.Equal(reference, Reference.Parse(familiar));
        Assert.True(Reference.TryParse(input, out var again));
        Assert.Equal(reference, again);
    }

    // input, a piece of the message
    public static TheoryData<string, string> Invalid => new()
    {
        { "", "invalid reference format" },
        { "Foo", "repository name (library/Foo) must be lowercase" },
        { "docker/Docker", "repository name (docker/Docker) must be lowercase" },
        { "docker.io/docker/Docker", "must be lowercase" },
        { "localhost:5000/Foo:tag", "repository name (Foo) must be lowercase" },
        { "a:b:c", "invalid reference format" },
        { "busybox:", "invalid reference format" },
        { ":tag", "invalid reference format" },
        { "@" + D, "invalid reference format" },
        { "busybox@", "invalid reference format" },
        { "busybox@sha256:abc", "invalid reference format" },
        { "busybox@md5:d41d8cd98f00b204e9800998ecf8427e", "invalid digest format" },
        { "busybox@sha256:" + Hex64.ToUpperInvariant(), "invalid digest format" },
        { "busybox@sha256:" + Hex64 + "00", "invalid digest format" },
        { "busybox:-tag", "invalid reference format" },
        { "busybox:.tag", "invalid reference format" },
        { "busybox:" + new string('t', 129), "invalid reference format" },
        { "-docker", "invalid reference format" },
        { "-docker/docker", "invalid reference format" },
        { "docker-/docker", "invalid reference format" },
        { "-docker.io/docker/docker", "invalid reference format" },
        { "docker///docker", "invalid reference format" },
        { "docker.io/docker///docker", "invalid reference format" },
        { "docker/", "invalid reference format" },
        { "____/____", "invalid reference format" },
        { "_docker/_docker", "invalid reference format" },
        { "dock..er/docker", "invalid reference format" },
        { "dock_.er/docker", "invalid reference format" },
        { "dock-.er/docker", "invalid reference format" },
        { "https://github.com/docker/docker", "invalid reference format" },
        { "[fc00::1]", "invalid reference format" },
        { "[fc00::1]:5000", "invalid reference format" },
        { "fc00::1:5000/debian", "invalid reference format" },
        { "[fe80::1%eth0]:5000/debian", "invalid reference format" },
        { "[2001:db8:3:4::192.0.2.33]:5000/debian", "invalid reference format" },
        { Hex64, "cannot specify 64-byte hexadecimal strings" },
        { "example.com/" + new string('a', 256), "must not be more than 255 characters" },
        { "busybox\n", "invalid reference format" },
        { "busybox:latest\n", "invalid reference format" },
        { " busybox", "invalid reference format" },
        { "büsybox", "invalid reference format" },
        { "busybox:tåg", "invalid reference format" },
        { "example.com:port/foo", "invalid reference format" },
        { new string('a', 300), "repository name must not be more than 255 characters" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_references_are_refused_in_docker_words(string input, string message)
    {
        var e = Assert.Throws<BerthException>(() => Reference.Parse(input));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(message, e.Message);
        Assert.StartsWith("parse reference `", e.Message);
        Assert.False(Reference.TryParse(input, out _));
    }

    [Theory]
    [InlineData(2049)]
    [InlineData(1 << 20)]
    public void Text_longer_than_the_limit_is_refused_before_matching(int length)
    {
        var e = Assert.Throws<BerthException>(() => Reference.Parse(new string('a', length)));
        Assert.EndsWith("invalid reference format: longer than 2048 characters", e.Message);
        Assert.True(e.Message.Length < 400, "the message echoes a shortened input");
    }

    [Fact]
    public void Crafted_text_at_the_limit_is_refused_quickly()
    {
        var crafted = string.Concat(Enumerable.Repeat("a-", Reference.MaxTextLength / 2 - 1)) + "!";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
            Assert.False(Reference.TryParse(crafted, out _));
        Assert.True(clock.ElapsedMilliseconds < 2000, $"{clock.ElapsedMilliseconds} ms for 10 parses");
    }

    [Fact]
    public void Null_does_not_parse() => Assert.False(Reference.TryParse(null, out _));

    [Fact]
    public void Path_of_exactly_255_characters_is_accepted()
    {
        var path = new string('a', 255);
        Assert.Equal(path, Reference.Parse("example.com/" + path).Path);
    }

    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest")]
    [InlineData("busybox:1.36", "docker.io/library/busybox:1.36")]
    [InlineData("busybox@" + D, "docker.io/library/busybox@" + D)]
    [InlineData("busybox:1.36@" + D, "docker.io/library/busybox@" + D)]
    [InlineData("localhost:5000/app", "localhost:5000/app:latest")]
    public void ParseDockerRef_adds_latest_and_lets_the_digest_win(string input, string expected) =>
        Assert.Equal(expected, Reference.ParseDockerRef(input).ToString());

    [Fact]
    public void WithDefaultTag_adds_latest_only_to_a_bare_name()
    {
        Assert.Equal("docker.io/library/busybox:latest", Reference.Parse("busybox").WithDefaultTag().ToString());
        Assert.Equal("busybox:latest", Reference.Parse("busybox").WithDefaultTag().Familiar);
        Assert.Equal("docker.io/library/busybox:1", Reference.Parse("busybox:1").WithDefaultTag().ToString());
        Assert.Equal("docker.io/library/busybox@" + D, Reference.Parse("busybox@" + D).WithDefaultTag().ToString());
    }

    [Fact]
    public void With_methods_keep_the_name_and_check_the_tag()
    {
        var reference = Reference.Parse("ghcr.io/x/y:1@" + D);
        Assert.Equal("ghcr.io/x/y:2@" + D, reference.WithTag("2").ToString());
        Assert.Equal("ghcr.io/x/y@" + D, reference.WithoutTag().ToString());
        Assert.Equal("ghcr.io/x/y", reference.WithNameOnly().ToString());
        Assert.True(reference.WithNameOnly().IsNameOnly);
        Assert.Equal("ghcr.io/x/y:1@" + D512, reference.WithDigest(Digest.Parse(D512)).ToString());
        var e = Assert.Throws<BerthException>(() => reference.WithTag("-bad"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Theory]
    [InlineData("latest", true)]
    [InlineData("LATEST", true)]
    [InlineData("_", true)]
    [InlineData("1.0-rc.1_b", true)]
    [InlineData("", false)]
    [InlineData("-x", false)]
    [InlineData(".x", false)]
    [InlineData("a/b", false)]
    [InlineData("a:b", false)]
    [InlineData("tåg", false)]
    public void Tags_are_checked(string tag, bool valid) => Assert.Equal(valid, Reference.IsValidTag(tag));

    [Fact]
    public void Tag_length_limit_is_128()
    {
        Assert.True(Reference.IsValidTag(new string('t', 128)));
        Assert.False(Reference.IsValidTag(new string('t', 129)));
        Assert.Equal(128, Reference.Parse("busybox:" + new string('t', 128)).Tag!.Length);
    }

    [Theory]
    [InlineData("library/busybox", true)]
    [InlineData("a", true)]
    [InlineData("a/b/c", true)]
    [InlineData("a__b/c--d/e.f", true)]
    [InlineData("A/b", false)]
    [InlineData("example.com:5000/a", false)]
    [InlineData("a//b", false)]
    [InlineData("/a", false)]
    [InlineData("a/", false)]
    [InlineData("", false)]
    public void Registry_paths_are_checked(string path, bool valid) => Assert.Equal(valid, Reference.IsValidPath(path));

    [Fact]
    public void References_are_equal_by_value()
    {
        Assert.Equal(Reference.Parse("busybox"), Reference.Parse("docker.io/library/busybox"));
        Assert.NotEqual(Reference.Parse("busybox"), Reference.Parse("busybox:latest"));
    }
}
