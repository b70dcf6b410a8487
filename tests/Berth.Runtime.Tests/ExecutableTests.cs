using Berth.Errdefs;
using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Init;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests;

/// <summary>Finding the program before `create` reports success, with Go's messages.</summary>
public sealed class ExecutableTests : IDisposable
{
    private const UnixFileMode Executable755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly TempDir _dir = new();

    public ExecutableTests()
    {
        Directory.CreateDirectory(_dir["bin1"]);
        Directory.CreateDirectory(_dir["bin2"]);
        Program("bin2/tool");
        Program("bin1/tool");
        File.WriteAllText(_dir["bin1/plain"], "not executable");
        Program("bin2/plain");
        Directory.CreateDirectory(_dir["bin1/dir"]);
        Program("bin2/dir");
    }

    public void Dispose() => _dir.Dispose();

    private void Program(string relative)
    {
        File.WriteAllText(_dir[relative], "#!/bin/sh\n");
        File.SetUnixFileMode(_dir[relative], Executable755);
    }

    private Process With(string arg0, string? path = null, string cwd = "/") => new()
    {
        Args = [arg0],
        Env = path is null ? ["TERM=xterm"] : ["PATH=/wrong", "PATH=" + path],
        Cwd = cwd,
    };

    [Fact]
    public void SearchesThePathInOrder() =>
        Assert.Equal(_dir["bin1/tool"], Init.Executable.Find(With("tool", $"{_dir["bin1"]}:{_dir["bin2"]}")));

    [Fact]
    public void SkipsFilesThatAreNotExecutableAndDirectories()
    {
        Assert.Equal(_dir["bin2/plain"], Init.Executable.Find(With("plain", $"{_dir["bin1"]}:{_dir["bin2"]}")));
        Assert.Equal(_dir["bin2/dir"], Init.Executable.Find(With("dir", $"{_dir["bin1"]}:{_dir["bin2"]}")));
    }

    [Fact]
    public void NotInThePathIsGosMessage()
    {
        var e = Assert.Throws<BerthException>(() => Init.Executable.Find(With("nope", _dir["bin1"])));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("exec: \"nope\": executable file not found in $PATH", e.Message);
    }

    [Fact]
    public void WithoutPathTheDefaultIsSearched()
    {
        var first = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".Split(':')
            .Select(d => d + "/sh").First(File.Exists);
        Assert.Equal(first, Init.Executable.Find(With("sh")));
    }

    [Fact]
    public void AnAbsolutePathIsCheckedNotSearched()
    {
        Assert.Equal(_dir["bin2/tool"], Init.Executable.Find(With(_dir["bin2/tool"], "/nowhere")));

        var missing = Assert.Throws<BerthException>(() => Init.Executable.Find(With(_dir["bin1/missing"])));
        Assert.Equal(Errno.ENOENT, missing.Errno);
        Assert.Equal($"exec: \"{_dir["bin1/missing"]}\": stat {_dir["bin1/missing"]}: no such file or directory", missing.Message);

        var plain = Assert.Throws<BerthException>(() => Init.Executable.Find(With(_dir["bin1/plain"])));
        Assert.Equal(Errno.EACCES, plain.Errno);
        Assert.Equal($"exec: \"{_dir["bin1/plain"]}\": permission denied", plain.Message);

        var dir = Assert.Throws<BerthException>(() => Init.Executable.Find(With(_dir["bin1/dir"])));
        Assert.Equal(Errno.EACCES, dir.Errno);
    }

    [Fact]
    public void ARelativePathWithASlashIsTakenFromTheCwd() =>
        Assert.Equal(Path.Combine(_dir.Path, "bin1/tool"), Init.Executable.Find(With("bin1/tool", "/nowhere", cwd: _dir.Path)));
}
