using Berth.Oci.Runtime;
using Berth.Runtime.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Berth.Runtime.IntegrationTests.Tests;

/// <summary>The root filesystem, mounts, masked and readonly paths, as the process sees them.</summary>
[Collection(FilesystemCollection.Name)]
public sealed class FilesystemTests(SuiteFixture suite, ITestOutputHelper output) : RuntimeTest(suite, output)
{
    [Fact]
    public void Root_IsTheBundleRootfs_WithProcMounted()
    {
        var marker = Guid.NewGuid().ToString("N");
        var c = NewContainer(s => s.Shell(
            "cat /marker; cat /etc/hostname; awk '$2 == \"/proc\" {print $3}' /proc/mounts; cat /proc/self/comm; test -e /proc/1/status && echo ok"));
        File.WriteAllText(c.Bundle.HostPath("/marker"), marker + "\n");
        var text = c.Run().AssertSuccess().Stdout;
        Assert.Equal([marker, "berth-rootfs", "proc", "cat", "ok"], Lines(text));
    }

    [Fact]
    public void Root_CannotBeEscapedByDotDot()
    {
        var c = NewContainer(s => s.Shell("ls /../../.. | sort | tr '\\n' ' '"));
        var listing = c.Run().AssertSuccess().Stdout;
        Assert.Equal(string.Join(' ', Directory.GetFileSystemEntries(c.Bundle.RootfsDir).Select(Path.GetFileName).Order(StringComparer.Ordinal)) + " ",
            listing);
    }

    [Fact]
    public void DefaultMounts_HaveTheirTypes()
    {
        var text = ScriptOutput("for d in /dev /dev/pts /dev/shm /dev/mqueue /sys; do awk -v d=$d '$2 == d {print d, $3}' /proc/mounts | tail -n 1; done");
        Assert.Equal(["/dev tmpfs", "/dev/pts devpts", "/dev/shm tmpfs", "/dev/mqueue mqueue", "/sys sysfs"], Lines(text));
    }

    [Fact]
    public void DefaultDevices_Exist_AndWork()
    {
        var text = ScriptOutput(
            "for d in null zero full random urandom tty; do test -c /dev/$d && echo -n \"$d \"; done; echo; " +
            "head -c 4 /dev/zero | wc -c; echo x > /dev/null && echo null-ok; readlink /dev/fd; readlink /dev/stdin");
        Assert.Equal(["null zero full random urandom tty ", "4", "null-ok", "/proc/self/fd", "/proc/self/fd/0"], Lines(text));
    }

    [Fact]
    public void TmpfsMount_HasItsSizeLimit()
    {
        var text = RunScript(
            "awk '$2 == \"/scratch\" {print $3}' /proc/mounts; " +
            "dd if=/dev/zero of=/scratch/a bs=1024 count=512 2>/dev/null && echo half-fits; " +
            "dd if=/dev/zero of=/scratch/b bs=1024 count=1024 2>&1; echo status=$?",
            s => s.AddMount(new Mount { Destination = "/scratch", Type = "tmpfs", Source = "tmpfs", Options = ["size=1m", "mode=1777"] }));
        var lines = Lines(text.AssertSuccess().Stdout);
        Assert.Equal("tmpfs", lines[0]);
        Assert.Equal("half-fits", lines[1]);
        Assert.Contains("No space left on device", text.Stdout);
        Assert.Equal("status=1", lines[^1]);
    }

    [Fact]
    public void BindMount_ReadOnly_RefusesWrites_ButReads()
    {
        var host = Directory.CreateDirectory(Path.Combine(TempDir, "data")).FullName;
        File.WriteAllText(Path.Combine(host, "file"), "from host\n");
        var result = RunScript("cat /data/file; touch /data/new; echo status=$?; echo more >> /data/file; echo status=$?",
            s => s.AddMount(new Mount { Destination = "/data", Type = "bind", Source = host, Options = ["rbind", "ro"] }));
        Assert.Equal(["from host", "status=1", "status=1"], Lines(result.AssertSuccess().Stdout));
        Assert.Contains("Read-only file system", result.Stderr);
        Assert.Equal(["file"], Directory.GetFiles(host).Select(Path.GetFileName));
        Assert.Equal("from host\n", File.ReadAllText(Path.Combine(host, "file")));
    }

    [RuntimeFact(DeviatesOn = "crun", Because = "crun 1.8 makes missing mount-point directories 01755 (sticky); runc makes them 0755")]
    public void MountPoints_TheRootfsLacks_AreMade0755_WithTheirParents()
    {
        var host = Directory.CreateDirectory(Path.Combine(TempDir, "data")).FullName;
        var text = ScriptOutput("stat -c '%a %n' /made /made/for /made/for/bind /made/tmp",
            s =>
            {
                s.AddMount(new Mount { Destination = "/made/for/bind", Type = "bind", Source = host, Options = ["rbind", "ro"] });
                s.AddMount(new Mount { Destination = "/made/tmp", Type = "tmpfs", Source = "tmpfs", Options = ["mode=1777"] });
            });
        Assert.Equal(["755 /made", "755 /made/for", $"{Convert.ToString((int)File.GetUnixFileMode(host) & 0xfff, 8)} /made/for/bind", "1777 /made/tmp"], Lines(text));
    }

    [Fact]
    public void BindMount_ReadWrite_WritesReachTheHost()
    {
        var host = Directory.CreateDirectory(Path.Combine(TempDir, "data")).FullName;
        ScriptOutput("echo written > /data/out",
            s => s.AddMount(new Mount { Destination = "/data", Type = "bind", Source = host, Options = ["rbind", "rw"] }));
        Assert.Equal("written\n", File.ReadAllText(Path.Combine(host, "out")));
    }

    [Fact]
    public void BindMount_NoexecNosuidNodev_AreEnforced()
    {
        var host = Directory.CreateDirectory(Path.Combine(TempDir, "tools")).FullName;
        File.Copy("/bin/busybox", Path.Combine(host, "busybox"));
        var result = RunScript(
            "/free/busybox echo exec-allowed; /locked/busybox echo exec-allowed; echo status=$?; " +
            "awk '$2 == \"/locked\" {print $4}' /proc/mounts",
            s => s
                .AddMount(new Mount { Destination = "/free", Type = "bind", Source = host, Options = ["bind"] })
                .AddMount(new Mount { Destination = "/locked", Type = "bind", Source = host, Options = ["bind", "noexec", "nosuid", "nodev"] }));
        var lines = Lines(result.AssertSuccess().Stdout);
        Assert.Equal("exec-allowed", lines[0]);
        Assert.Equal("status=126", lines[1]);
        Assert.Contains("Permission denied", result.Stderr);
        var options = lines[2].Split(',');
        Assert.Contains("noexec", options);
        Assert.Contains("nosuid", options);
        Assert.Contains("nodev", options);
    }

    [Fact]
    public void ReadonlyRootfs_RefusesWrites_ButMountsStayWritable()
    {
        var c = NewContainer(s => s.ReadonlyRootfs().Shell(
            "touch /newfile; echo root=$?; touch /tmp/x; echo tmp=$?; echo ok > /dev/shm/x && cat /dev/shm/x"));
        var result = c.Run();
        Assert.Equal(["root=1", "tmp=1", "ok"], Lines(result.AssertSuccess().Stdout));
        Assert.Contains("Read-only file system", result.Stderr);
        Assert.False(File.Exists(c.Bundle.HostPath("/newfile")));
    }

    [Fact]
    public void MaskedPaths_ReadEmpty_FilesAndDirectories()
    {
        Assert.True(new FileInfo("/proc/timer_list").Exists && File.ReadAllText("/proc/timer_list").Length > 0,
            "the host's /proc/timer_list has content");
        var c = NewContainer(s => s
            .Linux(l => l with { MaskedPaths = [.. l.MaskedPaths ?? [], "/etc/secret", "/etc/secret.txt"] })
            .Shell("wc -c < /proc/timer_list; ls -A /etc/secret | wc -l; wc -c < /etc/secret.txt; ls /sys/firmware | wc -l; cat /etc/group | wc -l"));
        Directory.CreateDirectory(c.Bundle.HostPath("/etc/secret"));
        File.WriteAllText(c.Bundle.HostPath("/etc/secret/key"), "hidden");
        File.WriteAllText(c.Bundle.HostPath("/etc/secret.txt"), "hidden");
        var lines = Lines(c.Run().AssertSuccess().Stdout).Select(l => l.Trim()).ToArray();
        Assert.Equal(["0", "0", "0", "0"], lines[..4]);
        Assert.NotEqual("0", lines[4]); // an unmasked neighbour is untouched
    }

    [Fact]
    public void ReadonlyPaths_RefuseWrites()
    {
        var c = NewContainer(s => s
            .Linux(l => l with { ReadonlyPaths = [.. l.ReadonlyPaths ?? [], "/opt/ro"] })
            .Shell("touch /opt/ro/x; echo ro=$?; touch /opt/rw; echo rw=$?; echo 1 > /proc/sys/kernel/shm_rmid_forced; echo sys=$?; cat /opt/ro/keep"));
        Directory.CreateDirectory(c.Bundle.HostPath("/opt/ro"));
        File.WriteAllText(c.Bundle.HostPath("/opt/ro/keep"), "kept\n");
        var result = c.Run();
        Assert.Equal(["ro=1", "rw=0", "sys=1", "kept"], Lines(result.AssertSuccess().Stdout));
        Assert.Contains("Read-only file system", result.Stderr);
    }

    private static string[] Lines(string text) => text.TrimEnd('\n').Split('\n');
}
