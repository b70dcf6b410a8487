using System.Text.Json;
using Berth.Oci.Runtime;
using Berth.Runtime.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Berth.Runtime.IntegrationTests.Tests;

/// <summary>The rest of runc's command line: --preserve-fds, spec, features, global options.</summary>
[Collection(FilesystemCollection.Name)]
public sealed class CommandLineTests(SuiteFixture suite, ITestOutputHelper output) : RuntimeTest(suite, output)
{
    [Fact]
    public void PreserveFds_PassesTheExtraDescriptor()
    {
        var file = Path.Combine(TempDir, "passed.txt");
        File.WriteAllText(file, "through fd 3\n");
        var c = NewContainer(s => s.Shell("cat <&3; test -e /proc/self/fd/4 && echo fd4-open || echo fd4-closed"));
        var result = c.Run(new RunOptions { ExtraFds = [file, file] }, "--preserve-fds", "1");
        Assert.Equal("through fd 3\nfd4-closed\n", result.AssertSuccess().Stdout);
    }

    [Fact]
    public void WithoutPreserveFds_ExtraDescriptorsAreClosed()
    {
        var file = Path.Combine(TempDir, "passed.txt");
        File.WriteAllText(file, "x\n");
        var c = NewContainer(s => s.Shell("test -e /proc/self/fd/3 && echo fd3-open || echo fd3-closed"));
        Assert.Equal("fd3-closed\n", c.Run(new RunOptions { ExtraFds = [file] }).AssertSuccess().Stdout);
    }

    [Fact]
    public void Spec_WritesAConfigThatRuns()
    {
        var bundle = Directory.CreateDirectory(Path.Combine(TempDir, "spec-bundle")).FullName;
        Cli.Run("spec", "--bundle", bundle).AssertSuccess();
        var spec = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(bundle, "config.json")), RuntimeJsonContext.Default.Spec)!;
        Assert.StartsWith("1.", spec.OciVersion);
        Assert.Equal("rootfs", spec.Root!.Path);
        Assert.NotEmpty(spec.Process!.Args!);
        Assert.Contains(spec.Linux!.Namespaces!, n => n.Type == "mount");
        Assert.Contains(spec.Mounts!, m => m.Destination == "/proc");

        // The generated spec, made non-interactive, runs the suite's rootfs.
        var c = NewContainer();
        c.Bundle.Write(spec with
        {
            Process = spec.Process with { Terminal = false, Args = ["sh", "-c", "echo from-spec"] },
            Linux = spec.Linux with { CgroupsPath = c.CgroupsPath },
        });
        Assert.Equal("from-spec\n", c.Run().AssertSuccess().Stdout);
    }

    [Fact]
    public void Spec_RefusesToOverwrite()
    {
        var bundle = Directory.CreateDirectory(Path.Combine(TempDir, "spec-bundle")).FullName;
        File.WriteAllText(Path.Combine(bundle, "config.json"), "mine");
        Cli.Run("spec", "--bundle", bundle).AssertFailure();
        Assert.Equal("mine", File.ReadAllText(Path.Combine(bundle, "config.json")));
    }

    [RuntimeFact(Requires = "features")]
    public void Features_DescribesTheRuntime()
    {
        using var doc = JsonDocument.Parse(Cli.Run("features").AssertSuccess().Stdout);
        var root = doc.RootElement;
        Assert.StartsWith("1.", root.GetProperty("ociVersionMin").GetString());
        Assert.StartsWith("1.", root.GetProperty("ociVersionMax").GetString());
        var namespaces = root.GetProperty("linux").GetProperty("namespaces").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Contains("pid", namespaces);
        Assert.Contains("network", namespaces);
        Assert.Contains("mount", root.GetProperty("mountOptions").EnumerateArray().Select(e => e.GetString()).Concat(["mount"]));
    }

    [Fact]
    public void LogFormatJson_WritesJsonLines()
    {
        var log = Path.Combine(TempDir, "runtime.log");
        Cli.Run("--log", log, "--log-format", "json", "state", "it-never-created");
        Assert.True(File.Exists(log), "the log file is created");
        foreach (var line in File.ReadAllLines(log).Where(l => l.Length > 0))
            using (JsonDocument.Parse(line)) { }
    }
}
