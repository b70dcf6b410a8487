using Berth.Distribution.Client.Auth;

namespace Berth.Distribution.Tests.Client;

public sealed class ChallengeTests
{
    [Fact]
    public void ReadsDockerHubsBearerChallenge()
    {
        var c = Assert.Single(Challenge.Parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull,push\""));
        Assert.True(c.IsBearer);
        Assert.Equal("https://auth.docker.io/token", c.Realm);
        Assert.Equal("registry.docker.io", c.Service);
        Assert.Equal("repository:library/busybox:pull,push", c.Scope);
    }

    [Fact]
    public void ReadsSeveralChallengesTokensSpacesAndEscapes()
    {
        var all = Challenge.Parse("Basic realm=\"a \\\"quoted\\\" realm\" , bearer  realm = https://x/token , service=reg, error=\"invalid_token\"");
        Assert.Equal(2, all.Count);
        Assert.True(all[0].IsBasic);
        Assert.Equal("a \"quoted\" realm", all[0].Realm);
        Assert.True(all[1].IsBearer);
        Assert.Equal("https://x/token", all[1].Realm);
        Assert.Equal("reg", all[1].Service);
        Assert.Equal("invalid_token", all[1].Parameters["ERROR"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("=,=,\"")]
    [InlineData("Bearer realm=\"unterminated")]
    public void NeverThrowsOnGarbage(string? header)
    {
        var all = Challenge.Parse(header);
        Assert.All(all, c => Assert.NotNull(c.Scheme));
    }

    [Fact]
    public void RefusesHeadersPastTheLimitAndCapsParameters()
    {
        Assert.Empty(Challenge.Parse("Bearer realm=\"" + new string('a', Challenge.MaxLength) + "\""));
        var many = "Bearer " + string.Join(",", Enumerable.Range(0, 100).Select(i => $"p{i}=v"));
        Assert.Equal(Challenge.MaxParameters, Assert.Single(Challenge.Parse(many)).Parameters.Count);
    }
}
