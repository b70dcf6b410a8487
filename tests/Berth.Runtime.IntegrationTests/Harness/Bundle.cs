using System.Diagnostics;
using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>
/// An OCI bundle in its own directory: <c>config.json</c> and a private copy of the suite's
/// rootfs (so a test that writes, or makes it readonly, cannot disturb another).
/// </summary>
public sealed class Bundle
{
    private Bundle(string dir, Spec spec)
    {
        Dir = dir;
        Spec = spec;
    }

    public string Dir { get; }

    public string RootfsDir => Path.Combine(Dir, "rootfs");

    public string ConfigPath => Path.Combine(Dir, "config.json");

    /// <summary>The spec last written to config.json.</summary>
    public Spec Spec { get; private set; }

    public static Bundle Create(string dir, string sourceRootfs, Spec spec)
    {
        Directory.CreateDirectory(dir);
        CopyTree(sourceRootfs, Path.Combine(dir, "rootfs"));
        var bundle = new Bundle(dir, spec);
        bundle.Write(spec);
        return bundle;
    }

    public void Write(Spec spec)
    {
        Spec = spec;
        File.WriteAllText(ConfigPath, JsonSerializer.Serialize(spec, RuntimeJsonContext.Default.Spec));
    }

    /// <summary>Writes config.json verbatim (for malformed or hand-edited configs).</summary>
    public void WriteRaw(string json) => File.WriteAllText(ConfigPath, json);

    /// <summary>The host path of a path inside the container's rootfs.</summary>
    public string HostPath(string containerPath) => Path.Combine(RootfsDir, containerPath.TrimStart('/'));

    private static void CopyTree(string from, string to)
    {
        // cp -a keeps the applet symlinks, modes and owners; a few ms for a 2 MB busybox rootfs.
        var info = new ProcessStartInfo("cp", ["-a", from, to]) { RedirectStandardError = true };
        using var cp = System.Diagnostics.Process.Start(info)!;
        var err = cp.StandardError.ReadToEnd();
        cp.WaitForExit();
        if (cp.ExitCode != 0)
            throw new InvalidOperationException($"cp -a {from} {to}: {err}");
    }
}
