using Berth.Build.Instructions;
using Berth.Build.Parser;
using Berth.Errdefs;

namespace Berth.Build.Tests.Instructions;

public sealed class RunMountParserTests
{
    // (--mount value, the parsed mount in RunMount.ToString()'s words: every field, defaults applied)
    public static TheoryData<string, string> Mounts => new()
    {
        // bind: the default type, read-only unless rw
        { "target=/src", "type=bind,target=/src,ro" },
        { "type=bind,source=app,target=/app", "type=bind,target=/app,source=app,ro" },
        { "type=bind,src=app,dst=/app,rw", "type=bind,target=/app,source=app,rw" },
        { "type=bind,destination=/d,from=builder,readwrite", "type=bind,target=/d,from=builder,rw" },
        { "target=/x,rw=true", "type=bind,target=/x,rw" },
        { "target=/x,rw=false", "type=bind,target=/x,ro" },
        { "target=/x,readonly=0", "type=bind,target=/x,rw" },
        { "target=/x,ro=T", "type=bind,target=/x,ro" },
        { "target=/x,rw,ro", "type=bind,target=/x,ro" },
        { "target=relative/dir", "type=bind,target=relative/dir,ro" },
        // keys and the type are case-insensitive; values otherwise kept
        { "TYPE=BIND,Target=/Src,SOURCE=Dir", "type=bind,target=/Src,source=Dir,ro" },
        // quoted CSV fields, a comma inside a quote
        { "type=bind,\"target=/a,b\"", "type=bind,target=/a,b,ro" },
        { "\"source=x\"\"y\",target=/t", "type=bind,target=/t,source=x\"y,ro" },
        // cache: writable, id defaults to the target, sharing shared, mode 0755, uid/gid 0
        { "type=cache,target=/root/.cache", "type=cache,target=/root/.cache,rw,id=/root/.cache,sharing=shared,mode=0755,uid=0,gid=0" },
        { "type=cache,target=/c,id=go,sharing=locked,mode=0700,uid=1000,gid=100", "type=cache,target=/c,rw,id=go,sharing=locked,mode=0700,uid=1000,gid=100" },
        { "type=cache,target=/c,sharing=PRIVATE,ro", "type=cache,target=/c,ro,id=/c,sharing=private,mode=0755,uid=0,gid=0" },
        { "type=cache,target=/c,from=base,source=/var/cache", "type=cache,target=/c,source=/var/cache,from=base,rw,id=/c,sharing=shared,mode=0755,uid=0,gid=0" },
        { "type=cache,target=/c,mode=755", "type=cache,target=/c,rw,id=/c,sharing=shared,mode=0755,uid=0,gid=0" },
        // tmpfs: writable, size in docker's units (powers of 1024)
        { "type=tmpfs,target=/tmp", "type=tmpfs,target=/tmp,rw" },
        { "type=tmpfs,target=/tmp,size=64m", "type=tmpfs,target=/tmp,rw,size=67108864" },
        { "type=tmpfs,target=/tmp,size=1.5GiB", "type=tmpfs,target=/tmp,rw,size=1610612736" },
        { "type=tmpfs,target=/tmp,size=100", "type=tmpfs,target=/tmp,rw,size=100" },
        { "type=tmpfs,target=/tmp,size=2 kb", "type=tmpfs,target=/tmp,rw,size=2048" },
        // secret: target /run/secrets/<id>, mode 0400, read-only
        { "type=secret,id=aws", "type=secret,target=/run/secrets/aws,ro,id=aws,mode=0400,uid=0,gid=0" },
        { "type=secret,id=aws,target=/root/.aws/credentials,required,mode=0440,uid=1,gid=2", "type=secret,target=/root/.aws/credentials,ro,id=aws,mode=0440,uid=1,gid=2,required" },
        { "type=secret,target=/etc/token", "type=secret,target=/etc/token,ro,id=token,mode=0400,uid=0,gid=0" },
        { "type=secret,source=npmrc", "type=secret,target=/run/secrets/npmrc,ro,id=npmrc,mode=0400,uid=0,gid=0" },
        { "type=secret,id=tok,required=false", "type=secret,target=/run/secrets/tok,ro,id=tok,mode=0400,uid=0,gid=0" },
        { "type=secret,id=tok,env=TOKEN", "type=secret,ro,id=tok,mode=0400,uid=0,gid=0,env=TOKEN" },
        { "type=secret,id=tok,env=TOKEN,target=/t", "type=secret,target=/t,ro,id=tok,mode=0400,uid=0,gid=0,env=TOKEN" },
        // ssh: id default, mode 0600, the first agent socket
        { "type=ssh", "type=ssh,target=/run/buildkit/ssh_agent.0,ro,id=default,mode=0600,uid=0,gid=0" },
        { "type=ssh,id=github,target=/ssh.sock,required", "type=ssh,target=/ssh.sock,ro,id=github,mode=0600,uid=0,gid=0,required" },
    };

    [Theory]
    [MemberData(nameof(Mounts))]
    public void ParsesWithBuildkitDefaults(string value, string expected)
    {
        Assert.Equal(expected, RunMountParser.Parse(value).ToString());
    }

    // (--mount value, buildkit's message after "parse mount `VALUE`: ")
    public static TheoryData<string, string> Errors => new()
    {
        { "type=foo,target=/x", "unsupported mount type \"foo\"" },
        { "type=cahce,target=/x", "unsupported mount type \"cahce\" (did you mean cache?)" },
        { "type=bind", "target is required" },
        { "source=x", "target is required" },
        { "type=cache,id=x", "target is required" },
        { "type=tmpfs,target=", "target is required" },
        { "target=/x,colour=red", "unexpected key 'colour' in 'colour=red'" },
        { "target=/x,traget=/y", "unexpected key 'traget' in 'traget=/y' (did you mean target?)" },
        { "target=/x,nonsense", "invalid field 'nonsense' must be a key=value pair" },
        { "target=/x,rw=maybe", "invalid value for rw: maybe" },
        { "target=/x,readonly=yes", "invalid value for readonly: yes" },
        { "target=/x,required", "unexpected key 'required' for mount type 'bind'" },
        // keys are read in order: required before type=secret is rejected, as buildkit does
        { "required,type=secret,id=x", "unexpected key 'required' for mount type 'bind'" },
        { "type=secret,id=x,required=sure", "invalid value for required: sure" },
        { "type=cache,target=/c,size=1m", "unexpected key 'size' for mount type 'cache'" },
        { "type=tmpfs,target=/t,size=lots", "invalid value for size: lots" },
        { "type=tmpfs,target=/t,size=1x", "invalid value for size: 1x" },
        { "type=bind,target=/t,env=X", "unexpected key 'env' for mount type 'bind'" },
        { "type=cache,target=/c,sharing=everyone", "unsupported sharing value \"everyone\"" },
        { "type=cache,target=/c,sharing=lock", "unsupported sharing value \"lock\" (did you mean locked?)" },
        { "type=cache,target=/c,mode=0999", "invalid value 0999 for mode" },
        { "type=cache,target=/c,mode=", "invalid value  for mode" },
        { "type=cache,target=/c,uid=-1", "invalid value -1 for uid" },
        { "type=cache,target=/c,gid=4294967296", "invalid value 4294967296 for gid" },
        { "type=bind,target=/b,mode=0644", "mode not allowed for \"bind\" type mounts" },
        { "type=tmpfs,target=/t,uid=1", "uid not allowed for \"tmpfs\" type mounts" },
        { "type=bind,target=/b,gid=1", "gid not allowed for \"bind\" type mounts" },
        { "type=bind,target=/b,sharing=shared", "invalid cache sharing set for bind mount" },
        { "type=secret,id=x,from=stage", "secret mount should not have a from" },
        { "type=secret", "invalid secret mount. one of source, target required" },
        { "type=secret,env=TOKEN", "invalid secret mount. one of source, target required" },
        { "type=secret,id=a,source=b", "both source and id can't be set" },
        { "target=/x,sou\"rce=y", "failed to parse csv mounts: parse error on line 1, column 14: bare \" in non-quoted-field" },
        { "target=/x,\"source=y", "failed to parse csv mounts: parse error on line 1, column 11: extraneous or missing \" in quoted-field" },
        { "\"target=/x\"y", "failed to parse csv mounts: parse error on line 1, column 12: extraneous or missing \" in quoted-field" },
        { "", "failed to parse csv mounts: EOF" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void RejectsWithBuildkitsWords(string value, string expected)
    {
        var e = Assert.Throws<BerthException>(() => RunMountParser.Parse(value));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"parse mount `{value}`: {expected}", e.Message);
    }

    [Fact]
    public void NumbersSshAgentsInOrderAndKeepsOtherMounts()
    {
        var mounts = RunMountParser.Parse(["type=ssh", "target=/src", "type=ssh,id=b", "type=ssh,target=/s"]);
        Assert.Equal(
            ["/run/buildkit/ssh_agent.0", "/src", "/run/buildkit/ssh_agent.1", "/s"],
            mounts.Select(m => m.Target));
        Assert.Equal([RunMountType.Ssh, RunMountType.Bind, RunMountType.Ssh, RunMountType.Ssh], mounts.Select(m => m.Type));
    }

    [Fact]
    public void ErrorsFromAnInstructionCarryItsPosition()
    {
        var file = DockerfileParser.Parse("FROM busybox\nRUN --mount=type=nope,target=/x true\n");
        var run = Assert.IsType<RunInstruction>(InstructionParser.Parse(file.Nodes[1]));
        var e = Assert.Throws<BerthException>(() => RunMountParser.Parse(run));
        Assert.Equal("dockerfile:2:1: parse mount `type=nope,target=/x`: unsupported mount type \"nope\"", e.Message);
        Assert.Equal(2, DockerfileError.PositionOf(e)?.Line);

        var ok = Assert.IsType<RunInstruction>(InstructionParser.Parse(DockerfileParser.Parse("RUN --mount=type=cache,target=/c --mount=target=/s make\n").Nodes[0]));
        Assert.Equal(["type=cache,target=/c,rw,id=/c,sharing=shared,mode=0755,uid=0,gid=0", "type=bind,target=/s,ro"], RunMountParser.Parse(ok).Select(m => m.ToString()));
    }
}
