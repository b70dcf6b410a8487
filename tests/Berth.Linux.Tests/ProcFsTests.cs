using Berth.Linux.Interop;
using Berth.Linux.Tests.Support;

namespace Berth.Linux.Tests;

public sealed class ProcFsTests
{
    [Fact]
    public void ReadsTheStatOfThisProcess()
    {
        Assert.True(ProcFs.TryReadStat(Environment.ProcessId, out var state, out var startTime));
        Assert.Contains(state, "RS");
        Assert.True(startTime > 0);
        // Field 22, counted independently: split the whole line and take the 22nd field.
        var fields = File.ReadAllText($"/proc/{Environment.ProcessId}/stat").Split(' ');
        if (!fields[1].Contains(' ') && fields[1].EndsWith(')'))
            Assert.Equal(ulong.Parse(fields[21]), startTime);
        Assert.True(ProcFs.IsAlive(Environment.ProcessId, startTime));
    }

    [Fact]
    public void IsAliveIsFalseForAnotherStartTimeOrNoProcess()
    {
        Assert.True(ProcFs.TryReadStat(Environment.ProcessId, out _, out var startTime));
        Assert.False(ProcFs.IsAlive(Environment.ProcessId, startTime + 1));
        Assert.False(ProcFs.IsAlive(0, startTime));
        Assert.False(ProcFs.IsAlive(-1, startTime));
        Assert.False(ProcFs.IsAlive(int.MaxValue, startTime));
        Assert.False(ProcFs.TryReadStat(int.MaxValue, out _, out _));
    }

    [Fact]
    public void ParsesACommandNameWithSpacesAndParentheses()
    {
        // The kernel takes comm from the name exec'd: a symlink to sleep named like a stat line.
        const string Name = "p) Z 1 2 (q) ";
        var dir = Directory.CreateTempSubdirectory("berth-procfs-");
        var link = Path.Combine(dir.FullName, Name);
        File.CreateSymbolicLink(link, "/bin/sleep");
        var pid = Spawner.Spawn(new SpawnRequest(link, [Name, "5"], []));
        try
        {
            var raw = WaitForComm(pid, Name);
            Assert.Contains($"({Name})", raw);
            Assert.True(ProcFs.TryReadStat(pid, out var state, out var startTime));
            // Any live state (a process just exec'd may be in D for a moment), never the name's "Z".
            Assert.Contains(state, "SRD");
            Assert.True(ProcFs.TryReadStat(Environment.ProcessId, out _, out var ours));
            Assert.InRange(startTime, ours, ours + 100_000);
            Assert.Equal(Environment.ProcessId.ToString(), Fds.StatFields(pid)[1]);
            Assert.True(ProcFs.IsAlive(pid, startTime));

            Children.Kill(pid, Signals.SIGKILL);
            WaitForState(pid, 'Z');
            Assert.True(ProcFs.TryReadStat(pid, out var zombie, out var sameStart));
            Assert.Equal('Z', zombie);
            Assert.Equal(startTime, sameStart);
            Assert.False(ProcFs.IsAlive(pid, startTime));
        }
        finally
        {
            Libc.kill(pid, Signals.SIGKILL);
            Assert.Equal(128 + Signals.SIGKILL, Children.Wait(pid));
            dir.Delete(recursive: true);
        }
        Assert.False(ProcFs.TryReadStat(pid, out _, out _));
    }

    [Fact]
    public unsafe void ParsesAThreadNamedWithParentheses()
    {
        // /proc/TID/stat of one of our own threads, renamed with prctl(PR_SET_NAME).
        const int PR_SET_NAME = 15;
        char state = '\0';
        ulong startTime = 0;
        var ok = false;
        string raw = "";
        var thread = new Thread(() =>
        {
            var name = "a) (b c) X\0"u8.ToArray();
            fixed (byte* p = name)
                Libc.prctl(PR_SET_NAME, (ulong)p, 0, 0, 0);
            var tid = Libc.gettid();
            raw = File.ReadAllText($"/proc/{tid}/stat");
            ok = ProcFs.TryReadStat(tid, out state, out startTime);
        });
        thread.Start();
        thread.Join();
        Assert.Contains("(a) (b c) X)", raw);
        Assert.True(ok);
        Assert.Equal('R', state);
        Assert.True(ProcFs.TryReadStat(Environment.ProcessId, out _, out var processStart));
        Assert.True(startTime >= processStart);
    }

    private static string WaitForComm(int pid, string name)
    {
        for (var i = 0; i < 500; i++)
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            if (text.Contains($"({name})"))
                return text;
            Thread.Sleep(2);
        }
        throw new TimeoutException($"process {pid} never exec'd `{name}`");
    }

    private static void WaitForState(int pid, char state)
    {
        for (var i = 0; i < 500; i++)
        {
            if (ProcFs.TryReadStat(pid, out var s, out _) && s == state)
                return;
            Thread.Sleep(2);
        }
        throw new TimeoutException($"process {pid} never reached state {state}");
    }
}
