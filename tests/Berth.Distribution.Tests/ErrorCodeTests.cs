using System.Text;
using Berth.Distribution.Errors;
using Berth.Errdefs;

namespace Berth.Distribution.Tests;

public class ErrorCodeTests
{
    [Fact]
    public void Codes_are_unique() =>
        Assert.Equal(ErrorCode.All.Count, ErrorCode.All.Select(c => c.Code).Distinct().Count());

    [Fact]
    public void Body_round_trips_in_the_spec_shape()
    {
        var bytes = ErrorBody.Of(ErrorCode.BlobUnknown).ToUtf8();
        Assert.Equal("""{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}""", Encoding.UTF8.GetString(bytes));
        var parsed = ErrorBody.TryParse(bytes);
        Assert.NotNull(parsed);
        Assert.Equal("BLOB_UNKNOWN: blob unknown to registry", parsed.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"errors":[]}""")]
    [InlineData("""{"errors":[{"message":"no code"}]}""")]
    [InlineData("""{"other":1}""")]
    public void Bodies_not_in_the_spec_shape_are_not_read(string body) =>
        Assert.Null(ErrorBody.TryParse(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("MANIFEST_UNKNOWN", 404, ErrorKind.NotFound)]
    [InlineData("DENIED", 403, ErrorKind.PermissionDenied)]
    [InlineData("SOMETHING_NEW", 401, ErrorKind.Unauthorized)]
    [InlineData(null, 503, ErrorKind.Unavailable)]
    [InlineData(null, 500, ErrorKind.Internal)]
    public void Kind_comes_from_the_code_then_the_status(string? code, int status, ErrorKind kind) =>
        Assert.Equal(kind, ErrorCode.KindOf(code, status));
}
