namespace Berth.IntegrationTests.Build;

/// <summary>
/// The fixture builds, together covering every Dockerfile instruction. Left out, because no
/// peer here can build them to compare with: heredocs (<c>RUN &lt;&lt;EOT</c>; neither
/// dockerd 20.10's built-in BuildKit frontend nor buildah 1.28 parses them, and the dockerfile:1.4
/// frontend image cannot be pulled offline).
/// </summary>
public static class ParityCases
{
    public static readonly IReadOnlyList<ParityCase> All =
    [
        new("run"),
        new("copy"),
        new("add-tar"),
        new("add-url") { ServesHttp = true },
        new("dockerignore"),
        new("env-arg")
        {
            BuildArgs = new Dictionary<string, string> { ["OVERRIDDEN"] = "from-cli", ["NODEFAULT"] = "given", ["BASE"] = "busybox" },
        },
        new("config"),
        new("config-inherit"),
        new("multistage"),
        new("stage-target") { Target = "middle" },
        new("onbuild-parent"),
        new("onbuild-child") { Requires = "onbuild-parent" },
        new("mount") { BuildKit = true },
        new("chmod") { BuildKit = true },
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All)
            data.Add(c.Name);
        return data;
    }

    public static ParityCase Get(string name) => All.Single(c => c.Name == name);
}
