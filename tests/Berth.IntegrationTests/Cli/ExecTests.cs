namespace Berth.IntegrationTests.Cli;

/// <summary>`berth exec`: env, user, cwd, stdin, exit codes and docker's failures (1, 126, 127), under each runtime.</summary>
public sealed class ExecTests(BerthFixture berth) : IClassFixture<BerthFixture>
{
    private string Running(string runtime)
    {
        var name = "exec-" + Guid.NewGuid().ToString("N")[..8];
        berth.Ok([.. BerthCli.RuntimeArgs(runtime), "run", "-d", "--name", name, "-e", "A=1", BerthFixture.Image, "sleep", "1000"]);
        return name;
    }

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void RunsWithTheContainersEnvironmentAndTheRequestsOverrides(string runtime)
    {
        var rt = BerthCli.RuntimeArgs(runtime);
        var name = Running(runtime);
        var r = berth.Run([.. rt, "exec", name, "sh", "-c", "echo $A $HOSTNAME; pwd; exit 3"]);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"1 {berth.Ok("inspect", "-f", "{{.Id}}", name).Trim()[..12]}\n/\n", r.Stdout);
        Assert.Equal("2 3\nuid=65534(nobody) gid=65534(nobody)\n/tmp\n",
            berth.Ok([.. rt, "exec", "-e", "A=2", "-e", "B=3", "-u", "nobody", "-w", "/tmp", name, "sh", "-c", "echo $A $B; id; pwd"]));
        Assert.Equal("hi\n", berth.RunWithStdin("hi\n", [.. rt, "exec", "-i", name, "cat"]).Stdout);
        Assert.Equal("", berth.RunWithStdin("hi\n", [.. rt, "exec", name, "cat"]).Stdout);
        Assert.Equal("", berth.Ok([.. rt, "exec", "-d", name, "sh", "-c", "echo ran > /tmp/d"]));
        Assert.Equal("ran\n", Eventually(() => berth.Run([.. rt, "exec", name, "cat", "/tmp/d"]).Stdout, "ran\n"));
        berth.Ok([.. BerthCli.RuntimeArgs(runtime), "rm", "-f", name]);
    }

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void FailuresAreDockers(string runtime)
    {
        var rt = BerthCli.RuntimeArgs(runtime);
        var name = Running(runtime);
        var notFound = berth.Run([.. rt, "exec", name, "nope"]);
        Assert.Equal(127, notFound.ExitCode);
        Assert.Equal("Error: OCI runtime exec failed: exec failed: unable to start container process: exec: \"nope\": executable file not found in $PATH: unknown\n", notFound.Stderr);
        Assert.Equal(126, berth.Run([.. rt, "exec", name, "/etc/passwd"]).ExitCode);
        Assert.Equal(126, berth.Run([.. rt, "exec", "-u", "nouser", name, "id"]).ExitCode);
        berth.Ok([.. rt, "stop", "-t", "0", name]);
        var stopped = berth.Run([.. rt, "exec", name, "true"]);
        Assert.Equal(1, stopped.ExitCode);
        Assert.Matches("^Error: container [0-9a-f]{64} is not running\n$", stopped.Stderr);
        berth.Ok([.. BerthCli.RuntimeArgs(runtime), "rm", "-f", name]);
    }

    private static string Eventually(Func<string> read, string expected)
    {
        var text = read();
        for (var i = 0; i < 100 && text != expected; i++)
        {
            Thread.Sleep(50);
            text = read();
        }
        return text;
    }
}
