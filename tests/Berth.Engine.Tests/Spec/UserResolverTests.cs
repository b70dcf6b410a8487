using Berth.Engine.Spec;
using Berth.Errdefs;

namespace Berth.Engine.Tests.Spec;

public sealed class UserResolverTests
{
    public static TheoryData<string, string?, uint, uint, string, string> Cases => new()
    {
        // --user, --group-add (comma list), uid, gid, additional gids, HOME
        { "", null, 0, 0, "10", "/root" },              // root is a member of wheel
        { "app", null, 1000, 1000, "10,29", "/home/app" },
        { "1000", null, 1000, 1000, "10,29", "/home/app" },
        { "app:staff", null, 1000, 50, "", "/home/app" }, // an explicit group: no membership groups
        { "app:0", null, 1000, 0, "", "/home/app" },
        { "4242", null, 4242, 0, "", "/" },              // numeric, not in passwd
        { "4242:4343", null, 4242, 4343, "", "/" },
        { "nobody", "audio,123", 65534, 65534, "29,123", "/nonexistent" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolves_like_libcontainer(string user, string? groupAdd, uint uid, uint gid, string extra, string home)
    {
        var resolved = UserResolver.Resolve(user, groupAdd?.Split(','), FakeUsers.Standard);
        Assert.Equal(uid, resolved.Uid);
        Assert.Equal(gid, resolved.Gid);
        Assert.Equal(extra, string.Join(',', resolved.AdditionalGids));
        Assert.Equal(home, resolved.Home);
    }

    [Theory]
    [InlineData("ghost", null, "unable to find user ghost: no matching entries in passwd file")]
    [InlineData("app:ghosts", null, "unable to find group ghosts: no matching entries in group file")]
    [InlineData("app", "ghosts", "unable to find group ghosts: no matching entries in group file")]
    [InlineData("4294967295", null, "uids and gids must be in range 0-2147483647")]
    public void Errors_are_docker_messages(string user, string? groupAdd, string message)
    {
        var e = Assert.Throws<BerthException>(() => UserResolver.Resolve(user, groupAdd?.Split(','), FakeUsers.Standard));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void No_passwd_file_means_root_and_names_fail()
    {
        var none = new FakeUsers(null, null);
        Assert.Equal(0u, UserResolver.Resolve("", null, none).Uid);
        Assert.Equal("/", UserResolver.Resolve("", null, none).Home);
        Assert.Throws<BerthException>(() => UserResolver.Resolve("app", null, none));
    }
}
