using System.Text;
using Berth.Errdefs;

namespace Berth.Oci.Tests;

public sealed class DigestTests
{
    [Fact]
    public void Of_is_the_sha256_of_the_bytes()
    {
        // sha256("") is a well-known constant.
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest.Of([]).ToString());
        Assert.Equal(Digest.Of(Encoding.UTF8.GetBytes("abc")), Digest.Parse("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    [Theory]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256:e3b0")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:../../../../etc/passwd0000000000000000000000000000000000000000000")]
    [InlineData(":abc")]
    [InlineData("")]
    [InlineData("sha256")]
    public void Invalid_digests_are_rejected(string text)
    {
        Assert.False(Digest.TryParse(text, out _));
        var e = Assert.Throws<BerthException>(() => Digest.Parse(text));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Sha512_is_accepted()
    {
        var hex = new string('a', 128);
        Assert.Equal("sha512", Digest.Parse("sha512:" + hex).Algorithm);
    }
}
