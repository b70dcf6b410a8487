using Berth.Distribution.Routes;
using Berth.Oci.References;
using Berth.Registry.Handlers;
using Berth.Registry.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Registry.Tests;

public sealed class ParsingTests
{
    [Theory]
    [InlineData(null, 100, ByteRange.Outcome.Whole, 0, 100)]
    [InlineData("bytes=0-9", 100, ByteRange.Outcome.Partial, 0, 10)]
    [InlineData("bytes=90-", 100, ByteRange.Outcome.Partial, 90, 10)]
    [InlineData("bytes=-5", 100, ByteRange.Outcome.Partial, 95, 5)]
    [InlineData("bytes=50-1000", 100, ByteRange.Outcome.Partial, 50, 50)]
    [InlineData("bytes=100-", 100, ByteRange.Outcome.Unsatisfiable, 0, 100)]
    [InlineData("bytes=-0", 100, ByteRange.Outcome.Unsatisfiable, 0, 100)]
    [InlineData("bytes=5-2", 100, ByteRange.Outcome.Whole, 0, 100)]
    [InlineData("bytes=0-1,5-6", 100, ByteRange.Outcome.Whole, 0, 100)]
    [InlineData("items=0-1", 100, ByteRange.Outcome.Whole, 0, 100)]
    [InlineData("bytes=x-1", 100, ByteRange.Outcome.Whole, 0, 100)]
    [InlineData("bytes=99999999999999999999-", 100, ByteRange.Outcome.Whole, 0, 100)]
    public void RangeHeader(string? header, long size, ByteRange.Outcome outcome, long start, long length)
    {
        Assert.Equal(outcome, ByteRange.Parse(header, size, out var s, out var l));
        if (outcome == ByteRange.Outcome.Partial)
            Assert.Equal((start, length), (s, l));
    }

    [Theory]
    [InlineData("0-99", true, 0, 99)]
    [InlineData("bytes 100-199/*", true, 100, 199)]
    [InlineData("5-4", false, 0, 0)]
    [InlineData("-4", false, 0, 0)]
    [InlineData("abc", false, 0, 0)]
    public void ContentRangeHeader(string header, bool ok, long start, long end)
    {
        Assert.Equal(ok, ByteRange.TryParseContentRange(header, out var s, out var e));
        if (ok)
            Assert.Equal((start, end), (s, e));
    }

    [Theory]
    [InlineData("/v2/foo/../bar/blobs/uploads/", "foo/../bar", false)]
    [InlineData("/v2/Foo/manifests/latest", "Foo", false)]
    [InlineData("/v2/foo%2F..%2Fbar/tags/list", "foo/../bar", false)]
    [InlineData("/v2/a_b/c-d/e.f/tags/list", "a_b/c-d/e.f", true)]
    [InlineData("/v2/a$b/tags/list", "a$b", false)]
    public void RepositoryNamesAreCheckedOnTheRawTarget(string raw, string repository, bool valid)
    {
        var http = new DefaultHttpContext();
        http.Features.Set<IHttpRequestFeature>(new HttpRequestFeature { RawTarget = raw + "?n=1", Path = "/normalised" });
        var path = Dispatcher.RawPath(http)!;
        Assert.True(RouteTable.TryMatch(path, out var route));
        Assert.Equal(repository, route.Repository);
        Assert.Equal(valid, Reference.IsValidPath(route.Repository));
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("0", 0)]
    public void Durations(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), CommandLine.ParseDuration(text));

    [Theory]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("3y")]
    public void BadDurations(string text) => Assert.Null(CommandLine.ParseDuration(text));

    [Fact]
    public void ServeFlags()
    {
        var options = CommandLine.ParseServe(["--root", "/tmp/x", "--addr", "127.0.0.1:5001", "--htpasswd=/h", "--gc-interval", "10m"]);
        Assert.Equal(5001, options.Address.Port);
        Assert.Equal("htpasswd", options.Auth);
        Assert.Equal(TimeSpan.FromMinutes(10), options.GcInterval);
        Assert.Throws<Berth.Errdefs.BerthException>(() => CommandLine.ParseServe(["--root", "/x", "--bogus"]));
        Assert.Throws<Berth.Errdefs.BerthException>(() => CommandLine.ParseServe(["--addr", "1.2.3.4:5"]));
        Assert.Throws<Berth.Errdefs.BerthException>(() => CommandLine.ParseServe(["--root", "/x", "--tls-cert", "c"]));
    }

    [Fact]
    public void PaginationPagesAfterLast()
    {
        var page = Pagination.Page(["a", "b", "c", "d"], "b", 1, out var more);
        Assert.Equal(["c"], page);
        Assert.True(more);
        Assert.Equal(["c", "d"], Pagination.Page(["a", "b", "c", "d"], "b", null, out more));
        Assert.False(more);
    }
}
