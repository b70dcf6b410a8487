using Berth.Build.Ignore;

namespace Berth.Build.Tests.Ignore;

public sealed class IgnoreFileLocateTests : IDisposable
{
    private readonly string _context = Directory.CreateTempSubdirectory("berth-ignore-").FullName;

    public void Dispose() => Directory.Delete(_context, recursive: true);

    [Fact]
    public void NoIgnoreFileIsNull()
    {
        Assert.Null(IgnoreFile.Locate(_context, null));
        Assert.Empty(IgnoreFile.Load(_context, null));
    }

    [Fact]
    public void TheContextRootsDockerignoreIsFound()
    {
        var root = Path.Combine(_context, ".dockerignore");
        File.WriteAllText(root, "*.log\n");
        Assert.Equal(root, IgnoreFile.Locate(_context, null));
        Assert.Equal(root, IgnoreFile.Locate(_context, "build/app.Dockerfile"));
        Assert.Equal(["*.log"], IgnoreFile.Load(_context, null).Select(p => p.ToString()));
    }

    [Fact]
    public void TheDockerfilesOwnIgnoreFileWins()
    {
        File.WriteAllText(Path.Combine(_context, ".dockerignore"), "*.log\n");
        Directory.CreateDirectory(Path.Combine(_context, "build"));
        var own = Path.Combine(_context, "build", "app.Dockerfile.dockerignore");
        File.WriteAllText(own, "!keep.log\n");
        Assert.Equal(own, IgnoreFile.Locate(_context, "build/app.Dockerfile"));
        Assert.Equal(own, IgnoreFile.Locate(_context, Path.Combine(_context, "build", "app.Dockerfile")));
        Assert.Equal(Path.Combine(_context, ".dockerignore"), IgnoreFile.Locate(_context, "Dockerfile"));
    }

    [Fact]
    public void DockerfileDotDockerignoreForTheDefaultName()
    {
        var own = Path.Combine(_context, "Dockerfile.dockerignore");
        File.WriteAllText(own, "x\n");
        File.WriteAllText(Path.Combine(_context, ".dockerignore"), "y\n");
        Assert.Equal(own, IgnoreFile.Locate(_context, null));
    }

    [Fact]
    public void LoadNamesTheFileOfABadPattern()
    {
        File.WriteAllText(Path.Combine(_context, ".dockerignore"), "[oops\n");
        var e = Assert.Throws<Berth.Errdefs.BerthException>(() => IgnoreFile.Load(_context, null));
        Assert.Equal(Berth.Errdefs.ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(".dockerignore", e.Message, StringComparison.Ordinal);
        Assert.Contains("`[oops`", e.Message, StringComparison.Ordinal);
    }
}
