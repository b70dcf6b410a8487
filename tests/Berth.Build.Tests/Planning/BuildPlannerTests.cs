using Berth.Build.Instructions;
using Berth.Build.Parser;
using Berth.Build.Planning;
using Berth.Errdefs;

namespace Berth.Build.Tests.Planning;

public sealed class BuildPlannerTests
{
    private static BuildPlan Plan(string dockerfile, string? target = null, Dictionary<string, string>? args = null, string? platform = null, string? buildPlatform = "linux/amd64") =>
        BuildPlanner.Plan(DockerfileParser.Parse(dockerfile), new BuildOptions
        {
            Target = target,
            BuildArgs = args ?? new Dictionary<string, string>(),
            Platform = platform,
            BuildPlatform = buildPlatform,
        });

    private static string Fails(string dockerfile, string? target = null) =>
        Assert.Throws<BerthException>(() => Plan(dockerfile, target)).Message;

    private static T Step<T>(PlannedStage stage, int n = 0) where T : Instruction =>
        stage.Steps.Select(s => s.Instruction).OfType<T>().ElementAt(n);

    [Fact]
    public void SingleStageFromImage()
    {
        var plan = Plan("FROM alpine:3.19\nRUN echo hi\n");
        var stage = Assert.Single(plan.Stages);
        Assert.Equal(StageBaseKind.Image, stage.Base.Kind);
        Assert.Equal("alpine:3.19", stage.Base.Reference);
        Assert.Null(stage.Name);
        Assert.Equal([0], plan.Order);
        Assert.Empty(plan.Warnings);
        Assert.IsType<RunInstruction>(stage.Steps[0].Instruction);
    }

    [Fact]
    public void ScratchBase()
    {
        var plan = Plan("FROM scratch\nCOPY a /a\n");
        Assert.Equal(StageBaseKind.Scratch, plan.TargetStage.Base.Kind);
    }

    [Fact]
    public void StageBaseIsCaseInsensitive()
    {
        var plan = Plan("FROM alpine AS Builder\nENV X=1\nFROM BUILDER\nRUN true\n");
        Assert.Equal("builder", plan.Stages[0].Name);
        Assert.Equal(StageBaseKind.Stage, plan.Stages[1].Base.Kind);
        Assert.Equal(0, plan.Stages[1].Base.StageIndex);
        Assert.Equal([0], plan.Stages[1].DependsOn);
        Assert.Equal("1", plan.Stages[1].Env["X"]);
        Assert.Equal([0, 1], plan.Order);
    }

    [Fact]
    public void MetaArgsExpandFromLines()
    {
        var plan = Plan("ARG VERSION=3.19\nARG IMG=alpine\nFROM ${IMG}:$VERSION\n");
        Assert.Equal("alpine:3.19", plan.TargetStage.Base.Reference);
        Assert.Equal("3.19", plan.MetaArgs["VERSION"]);
    }

    [Fact]
    public void BuildArgOverridesMetaArg()
    {
        var plan = Plan("ARG VERSION=3.19\nFROM alpine:$VERSION\n", args: new() { ["VERSION"] = "edge" });
        Assert.Equal("alpine:edge", plan.TargetStage.Base.Reference);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void MetaArgNotVisibleInStageUnlessRedeclared()
    {
        var plan = Plan("ARG V=1\nFROM alpine\nWORKDIR /a$V\nARG V\nWORKDIR /b$V\n");
        Assert.Equal("/a", Step<WorkdirInstruction>(plan.TargetStage).Path);
        Assert.Equal("/b1", Step<WorkdirInstruction>(plan.TargetStage, 1).Path);
    }

    [Fact]
    public void StageArgDefaultAndBuildArgOverride()
    {
        var plan = Plan("FROM alpine\nARG USERNAME=app\nUSER $USERNAME\n");
        Assert.Equal("app", Step<UserInstruction>(plan.TargetStage).User);
        plan = Plan("FROM alpine\nARG USERNAME=app\nUSER $USERNAME\n", args: new() { ["USERNAME"] = "root" });
        Assert.Equal("root", Step<UserInstruction>(plan.TargetStage).User);
        Assert.Equal("root", Assert.Single(Step<ArgInstruction>(plan.TargetStage).Args).Value);
    }

    [Fact]
    public void EnvShadowsArg()
    {
        var plan = Plan("FROM alpine\nARG X=fromarg\nENV X=fromenv\nLABEL x=$X\n", args: new() { ["X"] = "given" });
        Assert.Equal("fromenv", Step<LabelInstruction>(plan.TargetStage).Labels[0].Value);
    }

    [Fact]
    public void EnvSeesOnlyEarlierInstructions()
    {
        var plan = Plan("FROM alpine\nENV A=1\nENV A=2 B=$A\n");
        var env = Step<EnvInstruction>(plan.TargetStage, 1);
        Assert.Equal("1", env.Variables[1].Value);
        Assert.Equal("2", plan.TargetStage.Env["A"]);
        Assert.Equal("1", plan.TargetStage.Env["B"]);
    }

    [Fact]
    public void RunIsNotExpandedButSeesArgs()
    {
        var plan = Plan("FROM alpine\nARG N=5\nRUN echo $N\n");
        var step = plan.TargetStage.Steps[1];
        Assert.Equal("echo $N", ((RunInstruction)step.Instruction).Command.Args[0]);
        Assert.Equal("5", step.Args["N"]);
    }

    [Fact]
    public void ExpandsCopyExposeVolume()
    {
        var plan = Plan("FROM alpine\nARG D=/app P=\"80 443\"\nCOPY --chown=$D src/ $D/\nEXPOSE $P\nVOLUME $D/data\n");
        var copy = Step<CopyInstruction>(plan.TargetStage);
        Assert.Equal("/app/", copy.Destination);
        Assert.Equal("/app", copy.Chown);
        Assert.Equal(["80", "443"], Step<ExposeInstruction>(plan.TargetStage).Ports);
        Assert.Equal(["/app/data"], Step<VolumeInstruction>(plan.TargetStage).Paths);
    }

    [Fact]
    public void PlatformArgs()
    {
        var plan = Plan("FROM --platform=$BUILDPLATFORM golang AS build\nARG TARGETOS TARGETARCH\nENV GOOS=$TARGETOS GOARCH=$TARGETARCH\nFROM alpine\n",
            target: "build", platform: "linux/arm64", buildPlatform: "linux/amd64");
        var build = plan.TargetStage;
        Assert.Equal("linux/amd64", build.Platform);
        Assert.Equal("linux", build.Env["GOOS"]);
        Assert.Equal("arm64", build.Env["GOARCH"]);
        Assert.Equal("linux/arm64", plan.Stages[1].Platform);
    }

    [Fact]
    public void PlatformArgsNeedDeclarationInStage()
    {
        var plan = Plan("FROM alpine\nWORKDIR /x$TARGETARCH\n", platform: "linux/arm/v7");
        Assert.Equal("/x", Step<WorkdirInstruction>(plan.TargetStage).Path);
        plan = Plan("FROM alpine\nARG TARGETVARIANT\nWORKDIR /x$TARGETVARIANT\n", platform: "linux/arm/v7");
        Assert.Equal("/xv7", Step<WorkdirInstruction>(plan.TargetStage).Path);
    }

    [Fact]
    public void ProxyArgsAreConsumedWithoutDeclaration()
    {
        var plan = Plan("FROM alpine\nRUN apk add curl\n", args: new() { ["HTTP_PROXY"] = "http://proxy:3128" });
        Assert.Empty(plan.Warnings);
        Assert.Equal("http://proxy:3128", plan.TargetStage.Steps[0].Args["HTTP_PROXY"]);
    }

    [Fact]
    public void UnconsumedBuildArgsWarn()
    {
        var plan = Plan("FROM alpine\nARG USED\n", args: new() { ["USED"] = "1", ["ZED"] = "2", ["FOO"] = "3" });
        Assert.Equal(["[Warning] One or more build-args [FOO ZED] were not consumed"], plan.Warnings);
    }

    [Fact]
    public void ArgsInSkippedStagesAreNotConsumed()
    {
        var plan = Plan("FROM alpine AS a\nARG ONLY_A\nFROM alpine AS b\n", target: "b", args: new() { ["ONLY_A"] = "x" });
        Assert.Equal(["[Warning] One or more build-args [ONLY_A] were not consumed"], plan.Warnings);
    }

    [Fact]
    public void TargetSkipsUnneededStages()
    {
        var plan = Plan("FROM alpine AS base\nFROM base AS test\nFROM base AS release\nFROM alpine AS other\n", target: "Release");
        Assert.Equal(2, plan.Target);
        Assert.Equal([0, 2], plan.Order);
        Assert.Equal(["test", "other"], plan.Skipped.Select(s => s.Name));
    }

    [Fact]
    public void UnknownTarget()
    {
        Assert.Equal("target stage \"nope\" could not be found", Fails("FROM alpine AS a\n", target: "nope"));
    }

    [Fact]
    public void CopyFromStageIndexAndImage()
    {
        var plan = Plan("FROM golang AS build\nFROM node\nFROM alpine\nCOPY --from=build /out /bin/\nCOPY --from=1 /n /n\nCOPY --from=busybox:latest /bin/sh /sh\n");
        var last = plan.TargetStage;
        Assert.Equal([0, 1], last.DependsOn);
        Assert.Equal(["busybox:latest"], last.ImageSources);
        Assert.Equal([[0, 1], [2]], plan.Waves.Select(w => w.ToArray()).ToArray());
    }

    [Fact]
    public void CopyFromExpandsArgs()
    {
        var plan = Plan("FROM alpine AS one\nFROM alpine AS two\nFROM alpine\nARG SRC=two\nCOPY --from=$SRC /x /x\n");
        Assert.Equal([1], plan.TargetStage.DependsOn);
        Assert.True(plan.Stages[0].Skipped);
    }

    [Fact]
    public void RunMountFromStage()
    {
        var plan = Plan("FROM alpine AS deps\nFROM alpine\nRUN --mount=type=bind,from=deps,target=/d ls /d\n");
        Assert.Equal([0], plan.TargetStage.DependsOn);
    }

    [Fact]
    public void ParallelWaves()
    {
        var plan = Plan("FROM alpine AS a\nFROM alpine AS b\nFROM a AS c\nFROM alpine AS final\nCOPY --from=b / /\nCOPY --from=c / /\n");
        Assert.Equal([[0, 1], [2], [3]], plan.Waves.Select(w => w.ToArray()).ToArray());
        Assert.Equal([0, 1, 2, 3], plan.Order);
    }

    [Fact]
    public void CopyFromLaterStageFails()
    {
        var message = Fails("FROM alpine AS a\nCOPY --from=b / /\nFROM alpine AS b\n", target: "a");
        Assert.StartsWith("dockerfile:2:1: ", message);
        Assert.Contains("defined after", message);
    }

    [Fact]
    public void CopyFromItselfIsCircular()
    {
        Assert.Equal("dockerfile:2:1: circular dependency detected on stage: a", Fails("FROM alpine AS a\nCOPY --from=a / /\n"));
    }

    [Fact]
    public void ErrorsInSkippedStagesDoNotCount()
    {
        var plan = Plan("FROM alpine AS a\nCOPY --from=a / /\nFROM alpine AS b\n", target: "b");
        Assert.Equal([1], plan.Order);
    }

    [Fact]
    public void DuplicateStageName()
    {
        Assert.Equal("dockerfile:2:1: duplicate stage name \"a\"", Fails("FROM alpine AS a\nFROM alpine AS A\n"));
    }

    [Fact]
    public void InvalidStageName()
    {
        Assert.Contains("invalid name for build stage: \"1st\"", Fails("FROM alpine AS 1st\n"));
    }

    [Fact]
    public void InstructionBeforeFrom()
    {
        Assert.Contains("no build stage in current context", Fails("RUN true\nFROM alpine\n"));
    }

    [Fact]
    public void RequiredVariableFails()
    {
        Assert.Contains("required", Fails("FROM alpine\nWORKDIR ${DIR:?required}\n"), StringComparison.Ordinal);
    }
}
