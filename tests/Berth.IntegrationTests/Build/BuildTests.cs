using Berth.IntegrationTests.Cli;

namespace Berth.IntegrationTests.Build;

/// <summary>
/// `berth build` end to end with the real binaries on real containers: multi-stage builds whose
/// result is run, the cache (a rebuild does nothing; one changed COPY source re-runs only that
/// step and those after it), --target, ONBUILD, RUN mounts and secrets, stdin inputs, and bad
/// input: each fails with one message, exit 1, and leaves no container, mount or image behind.
/// </summary>
public sealed class BuildTests(BerthFixture berth) : IClassFixture<BerthFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-build-it-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>A fresh context directory with a Dockerfile and files (name → content).</summary>
    private string Context(string dockerfile, params (string Name, string Content)[] files)
    {
        var dir = Path.Combine(_dir, Unique("ctx"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), dockerfile);
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(dir, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
        return dir;
    }

    private BerthCli.Result Build(params string[] args) => berth.RunWithTimeout(TimeSpan.FromMinutes(3), ["build", "--progress", "plain", .. args]);

    private string BuildOk(params string[] args)
    {
        var result = Build(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stderr;
    }

    /// <summary>No build container is left: the store has only what the test's own run made.</summary>
    private void AssertNoBuildContainers() => Assert.Equal("", berth.Ok("ps", "-a", "-q", "--filter", "label=berth.build").Trim());

    [BerthFact]
    public void MultiStageBuildRunsAndTheResultRuns()
    {
        var tag = Unique("ms") + ":1";
        var ctx = Context("""
            FROM busybox AS builder
            WORKDIR /src
            COPY hello.txt .
            RUN tr a-z A-Z < hello.txt > shout.txt && echo built in builder
            FROM busybox
            ENV GREETING=hi
            COPY --from=builder /src/shout.txt /out/
            COPY --chmod=0750 --chown=1000:1000 hello.txt /out/plain.txt
            USER 1000
            CMD ["sh", "-c", "cat /out/shout.txt; echo $GREETING; stat -c '%a %u:%g' /out/plain.txt; id -u"]
            """, ("hello.txt", "hello world\n"));
        var log = BuildOk("-t", tag, ctx);
        Assert.Contains("built in builder", log);
        var run = berth.Ok("run", "--rm", tag);
        Assert.Equal("HELLO WORLD\nhi\n750 1000:1000\n1000\n", run);
        AssertNoBuildContainers();
        berth.Ok("rmi", tag);
    }

    [BerthFact]
    public void RebuildIsCachedAndOneChangedSourceRerunsOnlyFromThere()
    {
        var tag = Unique("cache") + ":1";
        var ctx = Context("""
            FROM busybox
            COPY a.txt /a.txt
            RUN echo ran-$((1)) && cat /a.txt > /one
            COPY b.txt /b.txt
            RUN echo ran-$((2)) && cat /b.txt > /two
            """, ("a.txt", "a\n"), ("b.txt", "b\n"));
        var first = BuildOk("-t", tag, ctx);
        Assert.Contains("ran-1", first);
        var id = berth.Ok("image", "inspect", "-f", "{{.Id}}", tag).Trim();

        var second = BuildOk("-t", tag, ctx);
        Assert.DoesNotContain("ran-1", second);
        Assert.DoesNotContain("ran-2", second);
        Assert.Equal(4, second.Split('\n').Count(l => l.EndsWith(" CACHED", StringComparison.Ordinal)));
        Assert.Equal(id, berth.Ok("image", "inspect", "-f", "{{.Id}}", tag).Trim());

        // A new mtime alone changes nothing; new content re-runs that COPY and what follows.
        File.SetLastWriteTimeUtc(Path.Combine(ctx, "a.txt"), DateTime.UtcNow.AddDays(-3));
        Assert.DoesNotContain("ran-1", BuildOk("-t", tag, ctx));
        File.WriteAllText(Path.Combine(ctx, "b.txt"), "B\n");
        var third = BuildOk("-t", tag, ctx);
        Assert.DoesNotContain("ran-1", third);
        Assert.Contains("ran-2", third);
        Assert.Equal("a\nB\n", berth.Ok("run", "--rm", tag, "sh", "-c", "cat /one /two"));

        var noCache = BuildOk("--no-cache", "-t", tag, ctx);
        Assert.Contains("ran-1", noCache);
        berth.Ok("rmi", tag);
    }

    [BerthFact]
    public void TargetSkipsStagesItDoesNotNeed()
    {
        var tag = Unique("target") + ":1";
        var ctx = Context("""
            FROM busybox AS base
            RUN echo base > /base
            FROM base AS broken
            RUN echo never-$((1)) && exit 7
            FROM base AS wanted
            RUN cat /base > /wanted
            """);
        var log = BuildOk("--target", "wanted", "-t", tag, ctx);
        Assert.DoesNotContain("never-1", log);
        Assert.Equal("base\n", berth.Ok("run", "--rm", tag, "cat", "/wanted"));
        berth.Ok("rmi", tag);
    }

    [BerthFact]
    public void OnBuildTriggersRunInTheChildBuild()
    {
        var parent = Unique("parent") + ":1";
        var child = Unique("child") + ":1";
        BuildOk("-t", parent, Context("""
            FROM busybox
            ONBUILD COPY marker.txt /from-trigger.txt
            ONBUILD RUN echo trigger-ran > /trigger
            """));
        Assert.Contains("COPY marker.txt /from-trigger.txt", berth.Ok("image", "inspect", "-f", "{{json .Config.OnBuild}}", parent));
        var log = BuildOk("-t", child, Context($"FROM {parent}\nRUN cat /trigger\n", ("marker.txt", "marker\n")));
        Assert.Contains("trigger-ran", log);
        Assert.Equal("marker\n", berth.Ok("run", "--rm", child, "cat", "/from-trigger.txt"));
        Assert.Equal("null", berth.Ok("image", "inspect", "-f", "{{json .Config.OnBuild}}", child).Trim());
        berth.Ok("rmi", child);
        berth.Ok("rmi", parent);
    }

    [BerthFact]
    public void CacheMountsPersistAndSecretsNeverReachTheImage()
    {
        var tag = Unique("mounts") + ":1";
        var secret = Path.Combine(_dir, Unique("secret"));
        File.WriteAllText(secret, "s3cr3t");
        var dockerfile = """
            FROM busybox
            ARG N=1
            RUN --mount=type=cache,target=/cache echo $N >> /cache/runs && cat /cache/runs | wc -l > /count
            RUN --mount=type=secret,id=tok wc -c < /run/secrets/tok > /seen
            RUN --mount=type=tmpfs,target=/scratch touch /scratch/x && ! test -e /scratch/y
            """;
        var ctx = Context(dockerfile);
        BuildOk("--secret", $"id=tok,src={secret}", "--build-arg", "N=1", "-t", tag, ctx);
        BuildOk("--secret", $"id=tok,src={secret}", "--build-arg", "N=2", "-t", tag, ctx);
        Assert.Equal("2", berth.Ok("run", "--rm", tag, "cat", "/count").Trim());
        Assert.Equal("6", berth.Ok("run", "--rm", tag, "cat", "/seen").Trim());
        Assert.Equal("no\n", berth.Ok("run", "--rm", tag, "sh", "-c", "test -e /run/secrets/tok && echo yes || echo no; test -e /cache/runs && echo leaked; true"));
        var save = Path.Combine(_dir, Unique("img") + ".tar");
        berth.Ok("save", "-o", save, tag);
        Assert.DoesNotContain("s3cr3t", System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(save)), StringComparison.Ordinal);
        berth.Ok("rmi", tag);
    }

    [BerthFact]
    public void DockerfileFromStdinAndContextAsTarOnStdin()
    {
        var tag = Unique("stdin") + ":1";
        var ctx = Context("", ("f.txt", "from-context\n"));
        var result = berth.RunWithStdin("FROM busybox\nCOPY f.txt /f\n", "build", "-q", "-f", "-", "-t", tag, ctx);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("sha256:", result.Stdout.Trim());
        Assert.Equal("from-context\n", berth.Ok("run", "--rm", tag, "cat", "/f"));

        var tarCtx = Context("FROM busybox\nCOPY g.txt /g\n", ("g.txt", "from-tar\n"));
        var tar = Path.Combine(_dir, Unique("ctx") + ".tar");
        System.Formats.Tar.TarFile.CreateFromDirectory(tarCtx, tar, includeBaseDirectory: false);
        var iid = Path.Combine(_dir, Unique("iid"));
        var p = BerthCli.Start(berth.Args("build", "--progress", "plain", "--iidfile", iid, "-t", tag, "-"), redirectStdin: true);
        using (var input = File.OpenRead(tar))
            input.CopyTo(p.StandardInput.BaseStream);
        p.StandardInput.Close();
        Assert.True(p.WaitForExit(120_000));
        Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        Assert.Equal("from-tar\n", berth.Ok("run", "--rm", tag, "cat", "/g"));
        Assert.Equal(berth.Ok("image", "inspect", "-f", "{{.Id}}", tag).Trim(), File.ReadAllText(iid));
        berth.Ok("rmi", tag);
    }

    [BerthFact]
    public void SyntaxErrorShowsLineColumnAndCaret()
    {
        var result = Build(Context("FROM busybox\nRUN true\nFORM x\n"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("dockerfile:3:1: unknown instruction: FORM", result.Stderr);
        Assert.Contains(" 3 | >>> FORM x\n         ^", result.Stderr);
    }

    [BerthFact]
    public void FailingRunShowsItsOutputExitCodeAndStepAndLeavesNothing()
    {
        var tag = Unique("fail") + ":1";
        var imagesBefore = berth.Ok("images", "-a", "-q");
        var result = Build("-t", tag, Context("FROM busybox\nRUN echo before\nRUN echo why-it-failed && exit 3\n"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("why-it-failed", result.Stderr);
        Assert.Contains("[3/3] RUN echo why-it-failed && exit 3", result.Stderr);
        Assert.Contains("did not complete successfully: exit code: 3", result.Stderr);
        AssertNoBuildContainers();
        Assert.NotEqual(0, berth.Run("image", "inspect", tag).ExitCode);
        Assert.Equal(imagesBefore, berth.Ok("images", "-a", "-q"));
        Assert.DoesNotContain(berth.Root + "/containers/", File.ReadAllText("/proc/self/mountinfo"));
    }

    [BerthFact]
    public void CopyOfAMissingSourceOrOneOutsideTheContextIsRefusedByName()
    {
        var missing = Build(Context("FROM busybox\nCOPY nothere.txt /x\n"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("nothere.txt", missing.Stderr);
        var outside = Build(Context("FROM busybox\nCOPY ../../etc/passwd /x\n"));
        Assert.Equal(1, outside.ExitCode);
        Assert.Contains("etc/passwd", outside.Stderr);
        var ignored = Build(Context("FROM busybox\nCOPY secret.txt /x\n", ("secret.txt", "x"), (".dockerignore", "secret.txt\n")));
        Assert.Equal(1, ignored.ExitCode);
        Assert.Contains("secret.txt", ignored.Stderr);
        AssertNoBuildContainers();
    }

    [BerthFact]
    public void UnknownBaseImageAndBadFlagsFailClearly()
    {
        var unknown = Build(Context("FROM no-such-image:1\nRUN true\n"));
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no-such-image:1", unknown.Stderr);
        var noDockerfile = Build(Path.Combine(_dir, "does-not-exist"));
        Assert.Equal(1, noDockerfile.ExitCode);
        Assert.Contains("does-not-exist", noDockerfile.Stderr);
        var badArg = Build("--build-arg", "=x", Context("FROM busybox\n"));
        Assert.Equal(1, badArg.ExitCode);
        Assert.Contains("--build-arg", badArg.Stderr);
    }
}
