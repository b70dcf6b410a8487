using System.Text;
using Berth.Cli.Building;
using Berth.Engine.Builds;

namespace Berth.Cli.Tests.Building;

public sealed class PlainProgressTests
{
    private static readonly BuildStep From = new(1, "", 1, 3, "FROM docker.io/library/busybox:latest");
    private static readonly BuildStep Run = new(2, "", 2, 3, "RUN echo hi");
    private static readonly BuildStep Copy = new(3, "", 3, 3, "COPY a /a");

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void PrintsBuildkitsPlainShape()
    {
        var time = new FakeTime();
        var w = new StringWriter();
        using (var p = new PlainProgress(w, time))
        {
            p.Started(From);
            time.Advance(0.01);
            p.Finished(From, TimeSpan.FromSeconds(0.01));
            p.Started(Run);
            time.Advance(0.112);
            p.Output(Run, B("hi\n"));
            time.Advance(0.2);
            p.Finished(Run, TimeSpan.FromSeconds(0.312));
            p.Started(Copy);
            p.Cached(Copy);
            p.Message("naming to docker.io/library/x:latest");
            p.Message("sha256:0123");
        }
        Assert.Equal(
            """
            #1 [1/3] FROM docker.io/library/busybox:latest
            #1 DONE 0.0s

            #2 [2/3] RUN echo hi
            #2 0.112 hi
            #2 DONE 0.3s

            #3 [3/3] COPY a /a
            #3 CACHED

            naming to docker.io/library/x:latest
            sha256:0123

            """.ReplaceLineEndings("\n"), w.ToString());
    }

    [Fact]
    public void BuffersPartialLinesUntilTheirNewlineAndFlushesAtTheEnd()
    {
        var time = new FakeTime();
        var w = new StringWriter();
        var p = new PlainProgress(w, time);
        p.Started(Run);
        time.Advance(0.1);
        p.Output(Run, B("par"));
        Assert.Equal("#2 [2/3] RUN echo hi\n", w.ToString()); // nothing yet: the line is not finished
        time.Advance(0.1);
        p.Output(Run, B("tial\nnext"));
        time.Advance(0.1);
        var e = B("é\r\n"); // a UTF-8 character split across writes, and a CRLF
        p.Output(Run, B(" line "));
        p.Output(Run, e.AsSpan(0, 1));
        p.Output(Run, e.AsSpan(1));
        p.Output(Run, B("\nlast"));
        time.Advance(12.3456);
        p.Finished(Run, TimeSpan.FromSeconds(12.5));
        Assert.Equal(
            """
            #2 [2/3] RUN echo hi
            #2 0.100 partial
            #2 0.200 next line é
            #2 0.300 
            #2 0.300 last
            #2 DONE 12.5s

            """.ReplaceLineEndings("\n"), w.ToString());
    }

    [Fact]
    public void OffsetsLosePrecisionAsBuildkitsDo()
    {
        var time = new FakeTime();
        var w = new StringWriter();
        var p = new PlainProgress(w, time);
        p.Started(Run);
        foreach (var at in new[] { 9.9994, 10.5, 99.994, 150.04 })
        {
            time.Advance(at - time.GetElapsedTime(0).TotalSeconds);
            p.Output(Run, B("x\n"));
        }
        Assert.Equal(["#2 9.999 x", "#2 10.50 x", "#2 99.99 x", "#2 150.0 x"], w.ToString().Split('\n').Skip(1).Take(4));
    }

    [Fact]
    public void InterleavedStepsLeaveAndReopenTheirBlocks()
    {
        var a = new BuildStep(2, "builder", 2, 2, "RUN make");
        var b = new BuildStep(3, "test", 2, 2, "RUN check");
        var time = new FakeTime();
        var w = new StringWriter();
        var p = new PlainProgress(w, time);
        p.Started(a);
        p.Started(b);
        time.Advance(0.5);
        p.Output(a, B("a1\n"));
        p.Output(a, B("a2\n"));
        p.Output(b, B("b1\nb"));
        p.Output(a, B("a3\n"));
        p.Finished(a, TimeSpan.FromSeconds(0.6));
        p.Finished(b, TimeSpan.FromSeconds(0.7));
        Assert.Equal(
            """
            #2 [builder 2/2] RUN make
            #2 ...

            #3 [test 2/2] RUN check
            #3 ...

            #2 [builder 2/2] RUN make
            #2 0.500 a1
            #2 0.500 a2
            #2 ...

            #3 [test 2/2] RUN check
            #3 0.500 b1
            #3 ...

            #2 [builder 2/2] RUN make
            #2 0.500 a3
            #2 DONE 0.6s

            #3 [test 2/2] RUN check
            #3 0.500 b
            #3 DONE 0.7s

            """.ReplaceLineEndings("\n"), w.ToString());
    }

    [Fact]
    public void AFailureEndsTheStepAndIsSummarisedAfterTheBuild()
    {
        var time = new FakeTime();
        var w = new StringWriter();
        var p = new PlainProgress(w, time);
        var fail = new BuildStep(2, "", 2, 2, "RUN seq 12; false");
        p.Started(fail);
        for (var i = 1; i <= 12; i++)
        {
            time.Advance(0.01);
            p.Output(fail, B($"{i}\n"));
        }
        p.Output(fail, B("no newline"));
        p.Failed(fail, TimeSpan.FromSeconds(0.2), "process \"/bin/sh -c seq 12; false\" did not complete successfully: exit code: 1");
        p.Complete();
        var text = w.ToString();
        Assert.StartsWith("#2 [2/2] RUN seq 12; false\n#2 0.010 1\n", text);
        Assert.EndsWith(
            """
            #2 0.120 12
            #2 0.120 no newline
            #2 ERROR: process "/bin/sh -c seq 12; false" did not complete successfully: exit code: 1
            ------
             > [2/2] RUN seq 12; false:
            0.040 4
            0.050 5
            0.060 6
            0.070 7
            0.080 8
            0.090 9
            0.100 10
            0.110 11
            0.120 12
            0.120 no newline
            ------

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void CompletingWithAStepStillRunningCancelsItAndIgnoresLateEvents()
    {
        var w = new StringWriter();
        var p = new PlainProgress(w, new FakeTime());
        p.Started(Run);
        p.Output(Run, B("half"));
        p.Complete();
        p.Output(Run, B(" more\n"));
        p.Finished(Run, TimeSpan.FromSeconds(1));
        p.Message("late");
        p.Dispose();
        Assert.Equal("#2 [2/3] RUN echo hi\n#2 0.000 half\n#2 CANCELED\n", w.ToString());
    }

    [Fact]
    public void StepsNamedOutsideTheStagesPrintTheirTextAlone()
    {
        var w = new StringWriter();
        var p = new PlainProgress(w, new FakeTime());
        var ctx = new BuildStep(4, "", 0, 0, "[internal] load build context");
        p.Started(ctx);
        p.Finished(ctx, TimeSpan.FromSeconds(0.04));
        Assert.Equal("#4 [internal] load build context\n#4 DONE 0.0s\n", w.ToString());
    }

    [Fact]
    public void TwoThreadsNeverTearLinesOrReorderAStep()
    {
        var w = new StringWriter();
        var p = new PlainProgress(w, new FakeTime());
        var a = new BuildStep(1, "a", 1, 1, "RUN a");
        var b = new BuildStep(2, "b", 1, 1, "RUN b");
        using var go = new Barrier(2);
        void Work(BuildStep s, string tag)
        {
            p.Started(s);
            go.SignalAndWait();
            for (var i = 0; i < 300; i++)
            {
                // each line in two writes, so a torn line would show
                p.Output(s, B($"{tag}-{i}-"));
                p.Output(s, B($"{tag}\n"));
            }
            p.Finished(s, TimeSpan.FromSeconds(1));
        }
        var ta = new Thread(() => Work(a, "aaaa"));
        var tb = new Thread(() => Work(b, "bbbb"));
        ta.Start();
        tb.Start();
        ta.Join();
        tb.Join();
        p.Complete();

        var seen = new Dictionary<string, List<string>> { ["1"] = [], ["2"] = [] };
        foreach (var line in w.ToString().Split('\n').Where(l => l.Length > 0))
        {
            var m = System.Text.RegularExpressions.Regex.Match(line, @"^#(\d) (\[(a|b) 1/1\] RUN (a|b)|\.\.\.|0\.000 (aaaa|bbbb)-\d+-\5|DONE 1\.0s)$");
            Assert.True(m.Success, $"malformed line: {line}");
            if (line.Contains("-", StringComparison.Ordinal) || line.Contains("DONE", StringComparison.Ordinal))
            {
                seen[m.Groups[1].Value].Add(line[3..]);
            }
        }
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"0.000 aaaa-{i}-aaaa").Append("DONE 1.0s"), seen["1"]);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"0.000 bbbb-{i}-bbbb").Append("DONE 1.0s"), seen["2"]);
    }
}
