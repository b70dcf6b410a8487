using System.Diagnostics;
using System.Text.Json.Nodes;
using Berth.Engine.Monitor;
using Berth.Linux.Interop;

namespace Berth.IntegrationTests.Monitor;

/// <summary>
/// Binaries and a shared read-only busybox rootfs for the monitor suite. The monitor is
/// BERTH_TEST_MONITOR (default REPO/out/bin/berth-monitor); the runtime "berth" is
/// BERTH_TEST_RUNTIME (default REPO/out/bin/berth-runtime), "runc" and "crun" come from PATH.
/// </summary>
public static class MonitorHarness
{
    private static readonly Lazy<string> Rootfs = new(MakeRootfs);

    public static string Repo { get; } = FindRepo();

    public static string MonitorBinary => Environment.GetEnvironmentVariable("BERTH_TEST_MONITOR") is { Length: > 0 } m ? m : Path.Combine(Repo, "out/bin/berth-monitor");

    /// <summary>Why the suite cannot run here, or null.</summary>
    public static string? SkipReason(string runtime)
    {
        if (Libc.getpid() > 0 && Environment.UserName != "root")
            return "needs root";
        if (!File.Exists(MonitorBinary))
            return $"berth-monitor not built at {MonitorBinary} (scripts/build, or set BERTH_TEST_MONITOR)";
        return RuntimePath(runtime) is null ? $"runtime {runtime} not found" : null;
    }

    public static string? RuntimePath(string runtime)
    {
        if (runtime == "berth")
        {
            var path = Environment.GetEnvironmentVariable("BERTH_TEST_RUNTIME") is { Length: > 0 } r ? r : Path.Combine(Repo, "out/bin/berth-runtime");
            return File.Exists(path) ? path : null;
        }
        return new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Select(d => Path.Combine(d, runtime)).FirstOrDefault(File.Exists);
    }

    public static string SharedRootfs => Rootfs.Value;

    /// <summary>A minimal OCI config.json for <paramref name="args"/> over the shared read-only rootfs.</summary>
    public static string Config(IReadOnlyList<string> args, bool tty)
    {
        var mounts = new JsonArray(
            Mount("/proc", "proc", "proc", []),
            Mount("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            Mount("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]),
            Mount("/tmp", "tmpfs", "tmpfs", ["nosuid", "nodev"]));
        var caps = new JsonArray("CAP_CHOWN", "CAP_KILL", "CAP_SETUID", "CAP_SETGID", "CAP_NET_BIND_SERVICE", "CAP_DAC_OVERRIDE");
        var config = new JsonObject
        {
            ["ociVersion"] = "1.0.2",
            ["process"] = new JsonObject
            {
                ["terminal"] = tty,
                ["user"] = new JsonObject { ["uid"] = 0, ["gid"] = 0 },
                ["args"] = new JsonArray([.. args.Select(a => (JsonNode)a!)]),
                ["env"] = new JsonArray("PATH=/bin:/sbin", "TERM=xterm"),
                ["cwd"] = "/",
                ["capabilities"] = new JsonObject
                {
                    ["bounding"] = caps.DeepClone(), ["effective"] = caps.DeepClone(), ["permitted"] = caps.DeepClone(),
                },
            },
            ["root"] = new JsonObject { ["path"] = SharedRootfs, ["readonly"] = true },
            ["hostname"] = "monitor-test",
            ["mounts"] = mounts,
            ["linux"] = new JsonObject
            {
                ["namespaces"] = new JsonArray(Ns("pid"), Ns("ipc"), Ns("uts"), Ns("mount"), Ns("network")),
            },
        };
        return config.ToJsonString();
    }

    private static JsonObject Ns(string type) => new() { ["type"] = type };

    private static JsonObject Mount(string destination, string type, string source, string[] options) => new()
    {
        ["destination"] = destination,
        ["type"] = type,
        ["source"] = source,
        ["options"] = new JsonArray([.. options.Select(o => (JsonNode)o!)]),
    };

    private static string MakeRootfs()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"berth-monitor-rootfs-{Environment.ProcessId}");
        Run("bash", Path.Combine(Repo, "tests/fixtures/make-rootfs.sh"), dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Run("rm", "-rf", dir);
        return dir;
    }

    public static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var err = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {err.Result}");
    }

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
                return dir.FullName;
        }
        return "/work/main";
    }
}
