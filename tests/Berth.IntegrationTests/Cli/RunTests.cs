namespace Berth.IntegrationTests.Cli;

/// <summary>
/// `berth run` on real containers: output, exit codes, and what each flag makes the process
/// inside see. Tests about runtime behaviour run under berth-runtime, runc and crun alike: the
/// peers prove the test right.
/// </summary>
public sealed class RunTests(BerthFixture berth) : IClassFixture<BerthFixture>
{
    private const string Img = BerthFixture.Image;

    private BerthCli.Result Run(string runtime, params string[] args) => berth.Run([.. BerthCli.RuntimeArgs(runtime), .. args]);

    /// <summary>`run --rm IMG sh -c SCRIPT` (after FLAGS) under RUNTIME; asserts exit 0; returns stdout.</summary>
    private string Sh(string runtime, string[] flags, string script)
    {
        string[] args = ["run", "--rm", .. flags, Img, "sh", "-c", script];
        var result = Run(runtime, args);
        Assert.True(result.ExitCode == 0, $"{BerthCli.Show(args)} under {runtime}: {result}");
        return result.Stdout;
    }

    private static string StatusField(string status, string field) =>
        status.Split('\n').Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0] == field).Select(p => p[1].Trim()).Single();

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void RunRmPrintsOutputAndLeavesNothing(string runtime)
    {
        var result = Run(runtime, "run", "--rm", Img, "echo", "hello world");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello world\n", result.Stdout);
        Assert.Empty(berth.Ok("ps", "-a", "-q").Trim());
    }

    public static TheoryData<string, string, int> ExitCases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var runtime in BerthCli.Runtimes())
        {
            data.Add(runtime, "true", 0);
            data.Add(runtime, "exit 3", 3);
        }
        return data;
    }

    /// <summary>
    /// `sh -c 'kill -9 $$'` dies of SIGKILL (137) when sh is not pid 1 (--init); as the pid
    /// namespace's init, the kernel drops signals it has no handler for, even SIGKILL from inside,
    /// so sh survives and exits 0 (docker and runc behave the same).
    /// </summary>
    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void KillNineOfItselfIs137(string runtime)
    {
        var killed = Run(runtime, "run", "--rm", "--init", Img, "sh", "-c", "kill -9 $$");
        Assert.True(killed.ExitCode == 137, $"--init under {runtime}: {killed}");
        var init = Run(runtime, "run", "--rm", Img, "sh", "-c", "kill -9 $$; exit 5");
        Assert.True(init.ExitCode == 5, $"pid 1 under {runtime}: {init}");
        Assert.Empty(berth.Ok("ps", "-a", "-q").Trim());
    }

    [BerthTheory]
    [MemberData(nameof(ExitCases))]
    public void RunExitsWithTheContainersStatus(string runtime, string script, int expected)
    {
        var result = Run(runtime, "run", "--rm", Img, "sh", "-c", script);
        Assert.True(expected == result.ExitCode, $"sh -c '{script}' under {runtime}: {result}");
        Assert.Empty(berth.Ok("ps", "-a", "-q").Trim());
    }

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void MissingCommandIs127WithAMessage(string runtime)
    {
        var result = Run(runtime, "run", "--rm", Img, "nope");
        Assert.True(result.ExitCode == 127, result.ToString());
        Assert.Contains("nope", result.Stderr);
        Assert.Empty(berth.Ok("ps", "-a", "-q").Trim());
    }

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void NonExecutableIs126(string runtime)
    {
        var result = Run(runtime, "run", "--rm", Img, "/etc/passwd");
        Assert.True(result.ExitCode == 126, result.ToString());
        // crun's message ("open executable: Permission denied") does not name the file.
        Assert.Contains(runtime == "crun" ? "Permission denied" : "/etc/passwd", result.Stderr);
        Assert.Empty(berth.Ok("ps", "-a", "-q").Trim());
    }

    [BerthFact]
    public void UnknownImageIs125()
    {
        var result = berth.Run("run", "--rm", "--pull", "never", "nosuchimage-xyz", "true");
        Assert.Equal(125, result.ExitCode);
        Assert.Contains("Error: No such image: nosuchimage-xyz", result.Stderr);
    }

    [BerthFact]
    public void UnknownFlagIs125()
    {
        var result = berth.Run("run", "--rm", "--no-such-flag", Img, "true");
        Assert.Equal(125, result.ExitCode);
        Assert.Contains("--no-such-flag", result.Stderr);
        Assert.Empty(berth.Ok("ps", "-a", "-q").Trim());
    }

    [BerthFact]
    public void EnvAndEnvFile()
    {
        var file = Path.Combine(berth.Root, "env.list");
        File.WriteAllText(file, "# comment\nFROM_FILE=file value\n\nOVERRIDE=from-file\n");
        var output = Sh("berth-runtime", ["-e", "A=1", "-e", "B=two words", "--env-file", file, "-e", "OVERRIDE=from-flag"],
            "echo \"$A|$B|$FROM_FILE|$OVERRIDE|$PATH\"");
        Assert.Equal("1|two words|file value|from-flag|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n", output);
    }

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void WorkdirUserEntrypointHostname(string runtime)
    {
        Assert.Equal("/etc\n", Sh(runtime, ["-w", "/etc"], "pwd"));
        Assert.Equal("uid=65534(nobody) gid=65534(nobody)\n", Sh(runtime, ["-u", "nobody"], "id"));
        Assert.StartsWith("uid=1000 gid=1000", Sh(runtime, ["-u", "1000:1000"], "id"));
        var entry = Run(runtime, "run", "--rm", "--entrypoint", "echo", Img, "from", "entrypoint");
        Assert.Equal("from entrypoint\n", entry.Stdout);
        Assert.Equal("box1\n", Sh(runtime, ["--hostname", "box1"], "hostname"));
    }

    /// <summary>docker (and runc) create a missing working directory.</summary>
    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void MissingWorkdirIsCreated(string runtime)
    {
        Assert.Equal("/tmp/new/dir\n", Sh(runtime, ["-w", "/tmp/new/dir"], "pwd"));
    }

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void BindMountsReadWriteAndReadOnly(string runtime)
    {
        var host = Path.Combine(berth.Root, $"bind-{runtime}");
        Directory.CreateDirectory(host);
        File.WriteAllText(Path.Combine(host, "in"), "from host\n");
        Assert.Equal("from host\n", Sh(runtime, ["-v", $"{host}:/data"], "cat /data/in; echo written > /data/out"));
        Assert.Equal("written\n", File.ReadAllText(Path.Combine(host, "out")));

        var ro = Run(runtime, "run", "--rm", "-v", $"{host}:/data:ro", Img, "sh", "-c", "cat /data/in && echo x > /data/denied");
        Assert.NotEqual(0, ro.ExitCode);
        Assert.Equal("from host\n", ro.Stdout);
        Assert.Contains("Read-only file system", ro.Stderr);
        Assert.False(File.Exists(Path.Combine(host, "denied")));
    }

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void TmpfsMountsAndReadOnlyRoot(string runtime)
    {
        var mounts = Sh(runtime, ["--mount", "type=tmpfs,destination=/scratch", "--tmpfs", "/fast:size=1m"],
            "grep -E ' /(scratch|fast) ' /proc/mounts; echo a > /scratch/f && echo b > /fast/f && cat /scratch/f /fast/f");
        Assert.Matches(@"tmpfs /scratch tmpfs rw", mounts);
        Assert.Matches(@"tmpfs /fast tmpfs rw.*size=1024k", mounts);
        Assert.EndsWith("a\nb\n", mounts);

        var ro = Run(runtime, "run", "--rm", "--read-only", Img, "sh", "-c", "touch /file");
        Assert.NotEqual(0, ro.ExitCode);
        Assert.Contains("Read-only file system", ro.Stderr);
        // docker's --read-only keeps /tmp? No: only /dev, /proc, /sys mounts stay writable; /dev/shm works.
        Assert.Equal("ok\n", Sh(runtime, ["--read-only"], "touch /dev/shm/x && echo ok"));
    }

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void ResourceLimitsReachTheCgroup(string runtime)
    {
        var output = Sh(runtime, ["--memory", "64m", "--pids-limit", "33", "--cpus", "0.5"],
            "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max " +
            "/sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us");
        Assert.Equal("67108864\n33\n50000\n100000\n", output);
    }

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void CapabilitiesDropAddAndPrivileged(string runtime)
    {
        Assert.Equal("00000000a80425fb", StatusField(Sh(runtime, [], "cat /proc/self/status"), "CapEff"));
        Assert.Equal("0000000000000000", StatusField(Sh(runtime, ["--cap-drop", "ALL"], "cat /proc/self/status"), "CapEff"));
        // NET_ADMIN is capability 12.
        Assert.Equal("0000000000001000", StatusField(Sh(runtime, ["--cap-drop", "ALL", "--cap-add", "NET_ADMIN"], "cat /proc/self/status"), "CapEff"));
    }

    /// <summary>
    /// docker gives --privileged every capability in the host's bounding set (this host's root
    /// lacks CAP_SYS_RESOURCE, so "every capability the kernel knows" cannot be applied).
    /// </summary>
    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void PrivilegedGetsTheHostsBoundingSet(string runtime)
    {
        var host = StatusField(File.ReadAllText("/proc/self/status"), "CapBnd");
        var status = Sh(runtime, ["--privileged"], "cat /proc/self/status");
        Assert.Equal(host, StatusField(status, "CapEff"));
        Assert.Equal("0", StatusField(status, "Seccomp"));
    }

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void SecurityOpts(string runtime)
    {
        var plain = Sh(runtime, [], "cat /proc/self/status");
        Assert.Equal("0", StatusField(plain, "NoNewPrivs"));
        Assert.Equal("2", StatusField(plain, "Seccomp"));
        Assert.Equal("1", StatusField(Sh(runtime, ["--security-opt", "no-new-privileges"], "cat /proc/self/status"), "NoNewPrivs"));
        Assert.Equal("0", StatusField(Sh(runtime, ["--security-opt", "seccomp=unconfined"], "cat /proc/self/status"), "Seccomp"));
    }

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void InitIsPidOne(string runtime)
    {
        var output = Sh(runtime, ["--init"], "tr '\\0' ' ' < /proc/1/cmdline; echo; echo $$");
        var lines = output.Split('\n');
        Assert.StartsWith("/sbin/docker-init -- sh -c", lines[0]);
        Assert.NotEqual("1", lines[1]);
        Assert.Equal("1\n", Sh(runtime, [], "echo $$"));
    }

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void NetworkNoneAndHost(string runtime)
    {
        var none = Sh(runtime, ["--network", "none"], "ls /sys/class/net");
        Assert.Equal("lo\n", none);
        var hostLinks = string.Join('\n', Directory.EnumerateFileSystemEntries("/sys/class/net").Select(Path.GetFileName).Order(StringComparer.Ordinal)) + "\n";
        var host = Sh(runtime, ["--network", "host"], "ls -1 /sys/class/net; hostname");
        Assert.Equal(hostLinks + File.ReadAllText("/proc/sys/kernel/hostname"), host);
    }

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void UlimitNofile(string runtime)
    {
        Assert.Equal("512\n512\n", Sh(runtime, ["--ulimit", "nofile=512:512"], "ulimit -n; ulimit -Hn"));
    }

    [BerthTheory]
    [MemberData(nameof(BerthCli.Runtimes), MemberType = typeof(BerthCli))]
    public void InteractiveStdinIsPiped(string runtime)
    {
        var result = berth.RunWithStdin("hi\nthere\n", [.. BerthCli.RuntimeArgs(runtime), "run", "-i", "--rm", Img, "cat"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hi\nthere\n", result.Stdout);
        var wc = berth.RunWithStdin("a\nb\nc\n", [.. BerthCli.RuntimeArgs(runtime), "run", "-i", "--rm", Img, "wc", "-l"]);
        Assert.Equal("3", wc.Stdout.Trim());
    }

    [BerthFact]
    public void TtyWithoutATerminalIsRefused()
    {
        var result = berth.RunWithStdin("hi\n", "run", "-it", "--rm", Img, "cat");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("the input device is not a TTY", result.Stderr);
        Assert.Empty(berth.Ok("ps", "-a", "-q").Trim());
    }
}
