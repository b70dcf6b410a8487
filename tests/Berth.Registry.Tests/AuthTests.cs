using System.Text;
using Berth.Registry.Auth;

namespace Berth.Registry.Tests;

public sealed class AuthTests
{
    // htpasswd -nbB alice secret (cost 5, to keep the test fast).
    private static readonly string Line = "alice:" + BCrypt.Net.BCrypt.HashPassword("secret", 5).Replace("$2a$", "$2y$");

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    [Fact]
    public void HtpasswdAcceptsTheRightPasswordOnly()
    {
        var file = Htpasswd.Parse("# users\n" + Line + "\n");
        Assert.True(file.Verify("alice", "secret"));
        Assert.False(file.Verify("alice", "wrong"));
        Assert.False(file.Verify("bob", "secret"));
    }

    [Theory]
    [InlineData("alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=")]
    [InlineData("alice:$apr1$abc$def")]
    [InlineData("no colon here")]
    public void HtpasswdRefusesNonBcryptAndMalformedLines(string line)
    {
        var e = Assert.Throws<Berth.Errdefs.BerthException>(() => Htpasswd.Parse("\n" + line));
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void BasicAuthChallengesMissingAndWrongCredentials()
    {
        var auth = new HtpasswdAuth(Htpasswd.Parse(Line), "test");
        var need = new[] { new Access("r", Access.Push) };
        var none = auth.Check(null, need);
        Assert.False(none.Allowed);
        Assert.Equal("Basic realm=\"test\"", none.Challenge);
        Assert.False(auth.Check(Basic("alice", "wrong"), need).Allowed);
        Assert.False(auth.Check("Basic !!!notbase64", need).Allowed);
        Assert.True(auth.Check(Basic("alice", "secret"), need).Allowed);
        Assert.True(auth.Check(Basic("alice", "secret"), need).Allowed); // remembered
    }

    [Fact]
    public void TokensGrantOnlyTheirRepositoriesAndActions()
    {
        var key = new byte[32];
        var auth = new TokenAuth(key, "http://127.0.0.1:1/token", "svc");
        var service = new TokenService(auth, Htpasswd.Parse(Line), anonymousPull: true, TimeSpan.FromMinutes(5));
        var token = "Bearer " + auth.Issue(service.Grant("alice", ["repository:a/b:pull,push repository:c:pull", "repository:Bad:pull", "registry:catalog:*"]));
        Assert.True(auth.Check(token, [new Access("a/b", Access.Push)]).Allowed);
        Assert.True(auth.Check(token, [new Access("c", Access.Pull)]).Allowed);
        var denied = auth.Check(token, [new Access("c", Access.Push)]);
        Assert.False(denied.Allowed);
        Assert.Contains("scope=\"repository:c:pull,push\"", denied.Challenge);
        Assert.False(auth.Check(token, [new Access("d", Access.Pull)]).Allowed);

        var anonymous = "Bearer " + auth.Issue(service.Grant("", ["repository:a/b:pull,push"]));
        Assert.True(auth.Check(anonymous, [new Access("a/b", Access.Pull)]).Allowed);
        Assert.False(auth.Check(anonymous, [new Access("a/b", Access.Push)]).Allowed);
    }

    [Fact]
    public void ForgedOrExpiredTokensAreRefused()
    {
        var auth = new TokenAuth(new byte[32], "r", "s");
        var other = new TokenAuth(Enumerable.Repeat((byte)1, 32).ToArray(), "r", "s");
        var claims = new TokenClaims("alice", DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(), [new TokenAccess("repository", "r", ["pull"])]);
        Assert.NotNull(auth.Verify(auth.Issue(claims)));
        Assert.Null(auth.Verify(other.Issue(claims)));
        Assert.Null(auth.Verify(auth.Issue(claims with { Expires = 1 })));
        Assert.Null(auth.Verify("garbage"));
        Assert.Null(auth.Verify(auth.Issue(claims) + "x"));
    }
}
