using System.Text;
using Berth.Cli.Building;
using Berth.Engine.Builds;

namespace Berth.Cli.Tests.Building;

public sealed class TtyProgressTests
{
    private static readonly BuildStep From = new(1, "", 1, 3, "FROM docker.io/library/busybox:latest");
    private static readonly BuildStep Run = new(2, "", 2, 3, "RUN echo hi");
    private static readonly BuildStep Copy = new(3, "", 3, 3, "COPY a /a");

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    // A step line on a 60-column terminal: the name, then the timer ending at column 59.
    private static string L(string name, string timer) => name.PadRight(54) + " " + timer;

    private static (TtyProgress, StringWriter, FakeTime) Make(int columns = 60, int rows = 40, bool color = true)
    {
        var time = new FakeTime();
        var w = new StringWriter();
        return (new TtyProgress(w, () => (columns, rows), time, color), w, time);
    }

    [Fact]
    public void TheFinalFrameStaysWithEveryStepAndFinished()
    {
        var (p, w, time) = Make();
        p.Started(From);
        time.Advance(0.05);
        p.Finished(From, TimeSpan.FromSeconds(0.04));
        p.Started(Run);
        p.Output(Run, B("hi\n"));
        time.Advance(0.3);
        p.Finished(Run, TimeSpan.FromSeconds(0.31));
        p.Started(Copy);
        p.Cached(Copy);
        time.Advance(0.85);
        p.Complete();
        Assert.Equal(
            string.Join('\n',
                "[+] Building 1.2s (3/3) FINISHED",
                L(" => [1/3] FROM docker.io/library/busybox:latest", "0.0s"),
                L(" => [2/3] RUN echo hi", "0.3s"),
                L(" => CACHED [3/3] COPY a /a", "0.0s")),
            VirtualTerminal.Screen(w.ToString()));
        Assert.Equal(" => [2/3] RUN echo hi                                  0.3s", VirtualTerminal.Screen(w.ToString()).Split('\n')[2]);
        Assert.Equal(0, time.LiveTimers);
    }

    [Fact]
    public void ARunningStepTicksAndShowsItsLastLinesWhichGoWhenItEnds()
    {
        var (p, w, time) = Make();
        p.Started(From);
        p.Finished(From, TimeSpan.Zero);
        p.Started(Run);
        for (var i = 1; i <= 8; i++)
        {
            p.Output(Run, B($"line {i}\n"));
        }
        p.Output(Run, B("\e[31mpartial\e[0m 50%\r 75%"));
        time.Advance(2.35); // the timer redraws at every 100ms up to 2.3s
        Assert.Equal(
            string.Join('\n',
                "[+] Building 2.3s (1/3)",
                L(" => [1/3] FROM docker.io/library/busybox:latest", "0.0s"),
                L(" => [2/3] RUN echo hi", "2.3s"),
                " => => # line 4",
                " => => # line 5",
                " => => # line 6",
                " => => # line 7",
                " => => # line 8",
                " => => #  75%"),
            VirtualTerminal.Screen(w.ToString()));

        p.Output(Run, B("\n"));
        p.Finished(Run, TimeSpan.FromSeconds(2.4));
        time.Advance(0.05);
        p.Started(Copy);
        time.Advance(0.1);
        // The tail is gone and nothing of the taller frame is left below.
        Assert.Equal(
            string.Join('\n',
                "[+] Building 2.5s (2/3)",
                L(" => [1/3] FROM docker.io/library/busybox:latest", "0.0s"),
                L(" => [2/3] RUN echo hi", "2.4s"),
                L(" => [3/3] COPY a /a", "0.1s")),
            VirtualTerminal.Screen(w.ToString()));

        var text = w.ToString();
        Assert.Contains("\e[?25l", text); // cursor hidden while drawing
        Assert.Contains("\e[9A\r", text); // back over the 9-line frame
        Assert.Contains("\e[K", text);
        Assert.Contains("\e[J", text);
        Assert.Contains("\e[34m => [1/3] FROM", text); // finished: blue
        Assert.Contains("\e[2m => => # line 8\e[0m", text); // output: faint
        Assert.DoesNotContain("\e[31mpartial", text); // the process's own escapes never reach the terminal
        p.Complete();
        Assert.EndsWith("\e[?25h", w.ToString());
    }

    [Fact]
    public void AFailedStepIsRedAndItsOutputFollowsTheFinalFrame()
    {
        var (p, w, time) = Make();
        var fail = new BuildStep(2, "", 2, 2, "RUN seq 25; false");
        p.Started(new BuildStep(1, "", 1, 2, "FROM busybox"));
        p.Finished(new BuildStep(1, "", 1, 2, "FROM busybox"), TimeSpan.Zero);
        p.Started(fail);
        for (var i = 1; i <= 25; i++)
        {
            time.Advance(0.01);
            p.Output(fail, B($"{i}\n"));
        }
        p.Failed(fail, TimeSpan.FromSeconds(0.26), "process \"/bin/sh -c seq 25; false\" did not complete successfully: exit code: 1");
        p.Complete();
        var expected = new List<string>
        {
            "[+] Building 0.3s (2/2) FINISHED",
            L(" => [1/2] FROM busybox", "0.0s"),
            L(" => ERROR [2/2] RUN seq 25; false", "0.3s"),
            "------",
            " > [2/2] RUN seq 25; false:",
        };
        expected.AddRange(Enumerable.Range(6, 20).Select(i => $"{i / 100.0:0.000} {i}"));
        expected.Add("------");
        Assert.Equal(string.Join('\n', expected), VirtualTerminal.Screen(w.ToString()));
        Assert.Contains("\e[31m => ERROR [2/2]", w.ToString());
    }

    [Fact]
    public void LongLinesAreCutToTheTerminalsWidth()
    {
        var (p, w, time) = Make(columns: 30, color: false);
        var step = new BuildStep(1, "", 1, 1, "RUN " + new string('x', 100));
        p.Started(step);
        p.Output(step, B(new string('y', 100) + "\n"));
        time.Advance(0.1);
        var screen = VirtualTerminal.Screen(w.ToString()).Split('\n');
        Assert.Equal(["[+] Building 0.1s (0/1)", " => [1/1] RUN xxxxxxxxxx 0.1s", " => => # yyyyyyyyyyyyyyyyyyyy"], screen);
        Assert.All(screen, l => Assert.True(l.Length <= 29));
        Assert.DoesNotContain("\e[3", w.ToString()); // no colours when asked for none
        Assert.DoesNotContain("\e[2m", w.ToString());
    }

    [Fact]
    public void ALiveFrameFitsTheScreenByDroppingFinishedStepsFirst()
    {
        var (p, w, time) = Make(rows: 8);
        for (var i = 1; i <= 10; i++)
        {
            var s = new BuildStep(i, "", i, 11, $"RUN step {i}");
            p.Started(s);
            p.Finished(s, TimeSpan.Zero);
        }
        var last = new BuildStep(11, "", 11, 11, "RUN last");
        p.Started(last);
        p.Output(last, B("a\nb\n"));
        time.Advance(0.1);
        Assert.Equal(
            string.Join('\n',
                "[+] Building 0.1s (10/11)",
                L(" => [8/11] RUN step 8", "0.0s"),
                L(" => [9/11] RUN step 9", "0.0s"),
                L(" => [10/11] RUN step 10", "0.0s"),
                L(" => [11/11] RUN last", "0.1s"),
                " => => # a",
                " => => # b"),
            VirtualTerminal.Screen(w.ToString()));
        p.Finished(last, TimeSpan.FromSeconds(0.1));
        p.Complete();
        var final = VirtualTerminal.Screen(w.ToString()).Split('\n');
        Assert.Equal(12, final.Length); // every step once the build is over
        Assert.Equal("[+] Building 0.1s (11/11) FINISHED", final[0]);
    }

    [Fact]
    public void TheCountIncludesStepsNotYetStartedAndMessagesShowAsRows()
    {
        var (p, w, time) = Make(color: false);
        p.Started(new BuildStep(1, "builder", 1, 4, "FROM busybox AS builder"));
        p.Started(new BuildStep(2, "", 1, 2, "FROM busybox"));
        p.Message("naming to docker.io/library/x:latest");
        time.Advance(0.1);
        Assert.Equal(
            string.Join('\n',
                "[+] Building 0.1s (0/6)",
                L(" => [builder 1/4] FROM busybox AS builder", "0.1s"),
                L(" => [1/2] FROM busybox", "0.1s"),
                " => naming to docker.io/library/x:latest"),
            VirtualTerminal.Screen(w.ToString()));
        p.Complete();
        Assert.StartsWith("[+] Building 0.1s (2/6)\n", VirtualTerminal.Screen(w.ToString()));
        Assert.Contains(L(" => CANCELED [1/2] FROM busybox", "0.1s"), VirtualTerminal.Screen(w.ToString()));
    }

    [Fact]
    public void StepsFromTwoThreadsAndTheTimerDrawConsistently()
    {
        var (p, w, _) = Make(rows: 100);
        var a = new BuildStep(1, "a", 1, 1, "RUN a");
        var b = new BuildStep(2, "b", 1, 1, "RUN b");
        var stop = false;
        var ticker = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                p.Tick();
            }
        });
        ticker.Start();
        void Work(BuildStep s, string tag)
        {
            p.Started(s);
            for (var i = 0; i < 500; i++)
            {
                p.Output(s, B($"{tag}{i}"));
                p.Output(s, B("\n"));
            }
            p.Finished(s, TimeSpan.FromSeconds(1));
        }
        var ta = new Thread(() => Work(a, "a"));
        var tb = new Thread(() => Work(b, "b"));
        ta.Start();
        tb.Start();
        ta.Join();
        tb.Join();
        Volatile.Write(ref stop, true);
        ticker.Join();
        p.Complete();
        var screen = VirtualTerminal.Screen(w.ToString()).Split('\n');
        Assert.Equal("[+] Building 0.0s (2/2) FINISHED", screen[0]);
        Assert.Equal(3, screen.Length);
        Assert.Equal(
            [L(" => [a 1/1] RUN a", "1.0s"), L(" => [b 1/1] RUN b", "1.0s")],
            screen.Skip(1).Order());
    }
}
