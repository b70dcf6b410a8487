using Berth.Engine.Model;
using Berth.Engine.Spec;
using Berth.Errdefs;

namespace Berth.Engine.Tests.Spec;

public sealed class MountPlannerTests
{
    public static TheoryData<string, string, string, string, bool, string> Binds => new()
    {
        // -v, spec destination, spec options, inspect Mode, inspect RW, inspect Propagation
        { "/srv/data:/data", "/data", "rbind,rprivate", "", true, "rprivate" },
        { "/srv/data:/data:ro", "/data", "rbind,ro,rprivate", "ro", false, "rprivate" },
        { "/srv/data:/data:rw,Z", "/data", "rbind,rprivate", "rw,Z", true, "rprivate" },
        { "/srv/data:/data/./x/../:ro,rshared", "/data", "rbind,ro,rshared", "ro,rshared", false, "rshared" },
        { "/srv/data:/data:z,slave,nocopy", "/data", "rbind,slave", "z,slave,nocopy", true, "slave" },
    };

    [Theory]
    [MemberData(nameof(Binds))]
    public void Bind_like_docker(string spec, string destination, string options, string mode, bool rw, string propagation)
    {
        var (mount, point) = MountPlanner.ParseBind(spec);
        Assert.Equal("bind", mount.Type);
        Assert.Equal("/srv/data", mount.Source);
        Assert.Equal(destination, mount.Destination);
        Assert.Equal(options, string.Join(',', mount.Options!));
        Assert.Equal(new MountPoint { Type = "bind", Source = "/srv/data", Destination = destination, Mode = mode, RW = rw, Propagation = propagation }, point);
    }

    [Theory]
    [InlineData("/a:/b:ro,rw", "invalid mode: ro,rw")]
    [InlineData("/a:/b:shared,slave", "invalid mode: shared,slave")]
    [InlineData("/a:/b:bogus", "invalid mode: bogus")]
    [InlineData("/a:/b:ro:x", "invalid volume specification: '/a:/b:ro:x'")]
    [InlineData(":/b", "invalid volume specification: ':/b'")]
    [InlineData("/a:b", "invalid volume specification: '/a:b': invalid mount config for type \"bind\": invalid mount path: 'b' mount path must be absolute")]
    [InlineData("/a:/", "invalid volume specification: '/a:/': invalid mount config for type \"bind\": invalid specification: destination can't be '/'")]
    [InlineData("myvol:/data", "named volume `myvol` in `myvol:/data`: volumes are not supported yet; the host path of a bind must be absolute")]
    [InlineData("/data", "anonymous volume `/data`: volumes are not supported yet; bind a host directory with -v /host/path:/data")]
    public void Bad_binds(string spec, string message)
    {
        var e = Assert.Throws<BerthException>(() => MountPlanner.ParseBind(spec));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Missing_v_source_is_created_but_missing_mount_source_is_an_error()
    {
        var host = new FakeHost();
        var plan = MountPlanner.Plan(new HostConfig { Binds = ["/new/dir:/x", "/srv/data:/y"] }, host);
        Assert.Equal(["/new/dir"], plan.CreateDirectories);

        var e = Assert.Throws<BerthException>(() => MountPlanner.Plan(
            new HostConfig { Mounts = [new MountSpec { Type = "bind", Source = "/tmp/nope", Target = "/x" }] }, host));
        Assert.Equal("invalid mount config for type \"bind\": bind source path does not exist: /tmp/nope", e.Message);
    }

    [Fact]
    public void Mount_bind_and_tmpfs()
    {
        var plan = MountPlanner.Plan(new HostConfig
        {
            Mounts =
            [
                new MountSpec { Type = "bind", Source = "/srv/data", Target = "/b", ReadOnly = true, BindOptions = new BindOptions { Propagation = "rslave", NonRecursive = true } },
                new MountSpec { Type = "tmpfs", Target = "/t", TmpfsOptions = new TmpfsOptions { SizeBytes = 64L << 20, Mode = 0x3FF /* 1777 */ } },
            ],
            Tmpfs = new Dictionary<string, string> { ["/run"] = "rw,size=64m,exec,tmpcopyup" },
        }, new FakeHost());
        Assert.Equal("bind,ro,rslave", string.Join(',', plan.Mounts[0].Options!));
        Assert.Equal("noexec,nosuid,nodev,rprivate,mode=1777,size=64m", string.Join(',', plan.Mounts[1].Options!));
        Assert.Equal("nosuid,nodev,rprivate,rw,size=64m,exec", string.Join(',', plan.Mounts[2].Options!));
        Assert.Equal("tmpfs", plan.Mounts[2].Type);
        // --tmpfs does not show in inspect's Mounts; --mount type=tmpfs does.
        Assert.Equal(2, plan.MountPoints.Count);
        Assert.Equal(new MountPoint { Type = "tmpfs", Destination = "/t", RW = true }, plan.MountPoints[1]);
    }

    [Fact]
    public void Duplicate_mount_point()
    {
        var e = Assert.Throws<BerthException>(() => MountPlanner.Plan(new HostConfig
        {
            Binds = ["/srv/data:/data"],
            Tmpfs = new Dictionary<string, string> { ["/data/"] = "" },
        }, new FakeHost()));
        Assert.Equal("Duplicate mount point: /data", e.Message);
    }

    [Theory]
    [InlineData("volume", "/s", "/t", "invalid mount config for type \"volume\": volumes are not supported yet; use type=bind with an absolute source")]
    [InlineData("npipe", "/s", "/t", "invalid mount config for type \"npipe\": mount type unknown")]
    [InlineData("bind", "", "/t", "invalid mount config for type \"bind\": field Source must not be empty")]
    [InlineData("bind", "rel", "/t", "invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute")]
    [InlineData("bind", "/srv/data", "", "invalid mount config for type \"bind\": field Target must not be empty")]
    [InlineData("tmpfs", "/s", "/t", "invalid mount config for type \"tmpfs\": field Source must not be specified")]
    public void Bad_mounts(string type, string source, string target, string message)
    {
        var e = Assert.Throws<BerthException>(() => MountPlanner.Plan(
            new HostConfig { Mounts = [new MountSpec { Type = type, Source = source, Target = target }] }, new FakeHost()));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Bad_tmpfs_option()
    {
        var e = Assert.Throws<BerthException>(() => MountPlanner.Plan(
            new HostConfig { Tmpfs = new Dictionary<string, string> { ["/run"] = "bogus=1" } }, new FakeHost()));
        Assert.Equal("invalid tmpfs option [\"bogus=1\"]", e.Message);
    }
}
