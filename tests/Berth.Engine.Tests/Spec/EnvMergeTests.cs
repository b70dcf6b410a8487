using Berth.Engine.Spec;

namespace Berth.Engine.Tests.Spec;

public sealed class EnvMergeTests
{
    [Fact]
    public void Busybox_default_matches_docker_run_env()
    {
        // docker run busybox env: PATH, HOSTNAME, then HOME (runc adds it inside).
        var env = EnvMerge.Build(null, ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "0123456789ab", false, "/root");
        Assert.Equal(
            ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=0123456789ab", "HOME=/root"],
            env);
    }

    [Fact]
    public void Container_env_overrides_image_by_key_and_tty_adds_term()
    {
        var env = EnvMerge.Build(
            ["A=1", "PATH=/custom", "HOME=/h"], ["PATH=/img", "B=2", "A=0"], "host", tty: true, home: "/root");
        Assert.Equal(["PATH=/custom", "HOSTNAME=host", "TERM=xterm", "A=1", "HOME=/h", "B=2"], env);
    }

    [Fact]
    public void Missing_path_gets_docker_default_and_user_may_override_hostname_and_term()
    {
        var env = EnvMerge.Build(["HOSTNAME=mine", "TERM=dumb"], null, "host", tty: true, home: null);
        Assert.Equal(["PATH=" + EnvMerge.DefaultPath, "HOSTNAME=mine", "TERM=dumb"], env);
    }

    [Fact]
    public void Key_without_value_unsets()
    {
        var env = EnvMerge.Build(["B"], ["B=2", "C=3"], "h", false, null);
        Assert.Equal(["PATH=" + EnvMerge.DefaultPath, "HOSTNAME=h", "C=3"], env);
    }

    [Fact]
    public void Config_merge_puts_container_first_then_image_rest()
    {
        Assert.Equal(["X=1", "PATH=/p", "Y=2"], EnvMerge.MergeConfig(["X=1"], ["PATH=/p", "X=0", "Y=2"]));
        Assert.Equal(["PATH=/p"], EnvMerge.MergeConfig([], ["PATH=/p"]));
    }
}
