using Berth.Engine.Builds;

namespace Berth.Engine.Tests.Builds;

/// <summary>Mount points the runtime made are dropped from a step's upper directory; the step's own work is not.</summary>
public sealed class MountStubsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-stubs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Dir(string name)
    {
        var path = Path.Combine(_root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    [Fact]
    public void EmptyStubsTheLowersLackGoButTheParentsMadeForThemStay()
    {
        var lower = Dir("lower");
        Directory.CreateDirectory(Path.Combine(lower, "etc"));
        File.WriteAllText(Path.Combine(lower, "etc", "hosts"), "127.0.0.1 localhost\n");
        var upper = Dir("upper");
        Directory.CreateDirectory(Path.Combine(upper, "proc"));
        Directory.CreateDirectory(Path.Combine(upper, "run", "secrets"));
        File.WriteAllText(Path.Combine(upper, "run", "secrets", "tok"), "");
        Directory.CreateDirectory(Path.Combine(upper, "etc"));
        File.WriteAllText(Path.Combine(upper, "etc", "resolv.conf"), "");
        File.WriteAllText(Path.Combine(upper, "etc", "made-by-run"), "x");
        Directory.CreateDirectory(Path.Combine(upper, "cache"));
        File.WriteAllText(Path.Combine(upper, "cache", "written-under-the-mount-point"), "y");

        MountStubs.Remove(upper, [lower], ["/proc", "/run/secrets/tok", "/etc/resolv.conf", "/etc/hosts", "/cache"]);

        Assert.False(Directory.Exists(Path.Combine(upper, "proc")));
        Assert.False(File.Exists(Path.Combine(upper, "run", "secrets", "tok")));
        Assert.True(Directory.Exists(Path.Combine(upper, "run", "secrets")));
        Assert.False(File.Exists(Path.Combine(upper, "etc", "resolv.conf")));
        Assert.True(File.Exists(Path.Combine(upper, "etc", "made-by-run")));
        Assert.True(File.Exists(Path.Combine(upper, "cache", "written-under-the-mount-point")));
    }

    [Fact]
    public void AStubPathTheImageHasIsKept()
    {
        var lower = Dir("lower");
        Directory.CreateDirectory(Path.Combine(lower, "proc"));
        var upper = Dir("upper");
        Directory.CreateDirectory(Path.Combine(upper, "proc"));
        MountStubs.Remove(upper, [lower], ["/proc"]);
        Assert.True(Directory.Exists(Path.Combine(upper, "proc")));
    }
}
