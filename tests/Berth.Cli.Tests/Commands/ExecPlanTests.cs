using Berth.Engine.Containers;
using Berth.Oci.Runtime;

namespace Berth.Cli.Tests.Commands;

public sealed class ExecPlanTests
{
    [Fact]
    public void RequestEnvReplacesByKeyAndTtyAddsTerm()
    {
        var env = ContainerService.ExecEnv(["PATH=/bin", "A=1", "HOSTNAME=x"], ["A=2", "B=3"], tty: true);
        Assert.Equal(["PATH=/bin", "A=2", "HOSTNAME=x", "TERM=xterm", "B=3"], env);
        Assert.Equal(["TERM=vt100"], ContainerService.ExecEnv(["TERM=vt100"], [], tty: true));
    }

    [Fact]
    public void FindsExecutablesOnPathInsideTheRootfs()
    {
        var root = Directory.CreateTempSubdirectory("berth-exec-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "bin"));
            Directory.CreateDirectory(Path.Combine(root, "etc"));
            File.WriteAllText(Path.Combine(root, "bin", "sh"), "");
            File.SetUnixFileMode(Path.Combine(root, "bin", "sh"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
            File.WriteAllText(Path.Combine(root, "etc", "passwd"), "");
            Process P(string cmd) => new() { Args = [cmd], Env = ["PATH=/usr/bin:/bin"], Cwd = "/etc" };
            Assert.Null(ContainerService.FindExecutable(root, P("sh")));
            Assert.Null(ContainerService.FindExecutable(root, P("/bin/sh")));
            Assert.Equal("exec: \"nope\": executable file not found in $PATH", ContainerService.FindExecutable(root, P("nope")));
            Assert.Equal("exec: \"/etc/passwd\": permission denied", ContainerService.FindExecutable(root, P("/etc/passwd")));
            Assert.Equal("exec: \"./passwd\": permission denied", ContainerService.FindExecutable(root, P("./passwd")));
            Assert.Equal("exec: \"/etc\": is a directory", ContainerService.FindExecutable(root, P("/etc")));
            Assert.Equal("exec: \"/nope\": stat /nope: no such file or directory", ContainerService.FindExecutable(root, P("/nope")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void RuntimeStartFailuresBecomeDockersMessage()
    {
        Assert.Equal(
            "OCI runtime exec failed: exec failed: unable to start container process: exec: \"nope\": executable file not found in $PATH: unknown",
            ContainerService.ExecStartFailure("time=\"x\" level=error msg=\"exec failed: unable to start container process: exec: \\\"nope\\\": executable file not found in $PATH\"\n"));
        Assert.Null(ContainerService.ExecStartFailure("ls: /x: No such file or directory\n"));
    }
}
