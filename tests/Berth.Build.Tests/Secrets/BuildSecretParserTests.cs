using Berth.Build.Secrets;
using Berth.Errdefs;

namespace Berth.Build.Tests.Secrets;

public sealed class BuildSecretParserTests
{
    // Only HOME_TOKEN and mysecret are "set" in the environment these cases see.
    private static string? Env(string name) => name switch
    {
        "HOME_TOKEN" => "t0k",
        "mysecret" => "from-env",
        _ => null,
    };

    // (--secret value, the parsed secret as id=…,src=… or id=…,env=…)
    public static TheoryData<string, string> Secrets => new()
    {
        { "id=mysecret,src=/path/to/file", "id=mysecret,src=/path/to/file" },
        { "id=a,source=rel/file", "id=a,src=rel/file" },
        { "src=/run/keys/deploy.key", "id=deploy.key,src=/run/keys/deploy.key" },
        { "source=./npmrc", "id=npmrc,src=./npmrc" },
        { "env=HOME_TOKEN", "id=HOME_TOKEN,env=HOME_TOKEN" },
        { "id=tok,env=HOME_TOKEN", "id=tok,env=HOME_TOKEN" },
        { "id=tok,type=env,src=HOME_TOKEN", "id=tok,env=HOME_TOKEN" },
        { "type=env,src=HOME_TOKEN", "id=HOME_TOKEN,env=HOME_TOKEN" },
        { "type=file,id=f,src=/f", "id=f,src=/f" },
        { "ID=x,SRC=/y", "id=x,src=/y" },
        // neither src nor env: the variable named by the id when set, else the file of that name
        { "id=mysecret", "id=mysecret,env=mysecret" },
        { "id=nothere", "id=nothere,src=nothere" },
        { "\"id=a,b\",src=/c", "id=a,b,src=/c" },
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public void ParsesBuildxsGrammar(string value, string expected)
    {
        Assert.Equal(expected, BuildSecretParser.Parse(value, Env).ToString());
    }

    public static TheoryData<string, string> Errors => new()
    {
        { "id=x,type=ssh", "unsupported secret type \"ssh\"" },
        { "id=x,path=/y", "unexpected key 'path' in 'path=/y'" },
        { "id=x,required", "invalid field 'required' must be a key=value pair" },
        { "type=file", "secret missing ID" },
        { "src=/", "secret missing ID" },
        { "id=x,src=/f,env=V", "a secret comes from a file (src) or a variable (env), not both" },
        { "id=\"x", "failed to parse csv secret: parse error on line 1, column 4: bare \" in non-quoted-field" },
        { "", "failed to parse csv secret: EOF" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void RejectsBadValues(string value, string expected)
    {
        var e = Assert.Throws<BerthException>(() => BuildSecretParser.Parse(value, Env));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"parse secret `{value}`: {expected}", e.Message);
    }

    [Fact]
    public void TheLastValueForAnIdWins()
    {
        var secrets = BuildSecretParser.Parse(["id=a,src=/1", "id=b,env=HOME_TOKEN", "id=a,src=/2"], Env);
        Assert.Equal(["id=a,src=/2", "id=b,env=HOME_TOKEN"], secrets.Select(s => s.ToString()));
    }
}
