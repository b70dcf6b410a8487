using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Oci.Runtime;
using Berth.Runtime.Lifecycle;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests;

public sealed class DefaultSpecTests
{
    [Fact]
    public void IsAValidSpecOfASupportedVersion()
    {
        var spec = DefaultSpec.Create();
        Assert.True(SpecVersion.IsSupported(spec.OciVersion));
        var json = JsonSerializer.SerializeToUtf8Bytes(spec, RuntimeJsonContext.Default.Spec);
        var parsed = SpecLoader.Parse(json, "default spec");
        Assert.Equal(
            JsonSerializer.Serialize(spec, RuntimeJsonContext.Default.Spec),
            JsonSerializer.Serialize(parsed, RuntimeJsonContext.Default.Spec));
    }

    [Fact]
    public void EveryCallGivesAFreshEqualSpec()
    {
        Assert.Equal(
            JsonSerializer.Serialize(DefaultSpec.Create(), RuntimeJsonContext.Default.Spec),
            JsonSerializer.Serialize(DefaultSpec.Create(), RuntimeJsonContext.Default.Spec));
        Assert.NotSame(DefaultSpec.Create(), DefaultSpec.Create());
    }

    [Fact]
    public void HasTheNamespacesMountsAndPathsOfAContainer()
    {
        var spec = DefaultSpec.Create();
        Assert.Equal(["pid", "network", "ipc", "uts", "mount", "cgroup"], spec.Linux!.Namespaces!.Select(n => n.Type));
        Assert.All(spec.Linux.Namespaces!, n => Assert.Null(n.Path));
        Assert.Equal(["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"], spec.Mounts!.Select(m => m.Destination));
        Assert.Contains("/proc/kcore", spec.Linux.MaskedPaths!);
        Assert.Contains("/proc/sys", spec.Linux.ReadonlyPaths!);
        Assert.Equal(0u, spec.Process!.User.Uid);
        Assert.True(spec.Root!.Readonly);
    }

    /// <summary>
    /// Structurally what `runc spec` writes, apart from ociVersion, hostname and terminal (which
    /// differ by design) and the cgroup namespace: runc 1.2 added it to its default, runc 1.1
    /// lacks it, Berth has it.
    /// </summary>
    [RuncFact]
    public void MatchesRuncSpec()
    {
        using var dir = new TempDir();
        var info = new System.Diagnostics.ProcessStartInfo(RuncFactAttribute.Runc!, "spec") { WorkingDirectory = dir.Path, RedirectStandardError = true };
        using (var runc = System.Diagnostics.Process.Start(info)!)
        {
            var stderr = runc.StandardError.ReadToEnd();
            runc.WaitForExit();
            Assert.True(runc.ExitCode == 0, $"runc spec: {stderr}");
        }
        var theirs = JsonNode.Parse(File.ReadAllText(dir["config.json"]))!.AsObject();
        var ours = JsonNode.Parse(JsonSerializer.Serialize(DefaultSpec.Create(), RuntimeJsonContext.Default.Spec))!.AsObject();

        foreach (var spec in new[] { theirs, ours })
        {
            spec.Remove("ociVersion");
            spec.Remove("hostname");
            spec["process"]!.AsObject().Remove("terminal");
        }
        var theirNamespaces = theirs["linux"]!["namespaces"]!.AsArray();
        if (!theirNamespaces.Any(n => (string?)n!["type"] == "cgroup"))
            theirNamespaces.Add(new JsonObject { ["type"] = "cgroup" });

        Assert.True(JsonNode.DeepEquals(theirs, ours), $"runc:\n{theirs.ToJsonString()}\nberth:\n{ours.ToJsonString()}");
    }
}

/// <summary>A fact that needs the runc binary; skipped where it is not installed.</summary>
public sealed class RuncFactAttribute : FactAttribute
{
    public static readonly string? Runc =
        new[] { "/usr/sbin/runc", "/usr/bin/runc", "/usr/local/bin/runc", "/usr/local/sbin/runc" }.FirstOrDefault(File.Exists);

    public RuncFactAttribute()
    {
        if (Runc is null)
            Skip = "runc is not installed";
    }
}
