using System.Diagnostics;
using Berth.IntegrationTests.Cli;

namespace Berth.IntegrationTests.Registry;

/// <summary>
/// berth against private roots with its credential files in a temp directory (BERTH_AUTH_FILE,
/// DOCKER_CONFIG, BERTH_REGISTRIES_CONFIG), so no test reads or writes the user's own. Dispose
/// removes every root it made (there are no containers in them that outlive a command).
/// </summary>
public sealed class RegistryCli : IDisposable
{
    private readonly List<string> _roots = [];

    public RegistryCli()
    {
        Home = Directory.CreateTempSubdirectory("berth-regcli-").FullName;
        Environment["BERTH_AUTH_FILE"] = Path.Combine(Home, "auth.json");
        Environment["DOCKER_CONFIG"] = Path.Combine(Home, "docker");
        Environment["BERTH_REGISTRIES_CONFIG"] = Path.Combine(Home, "registries.json");
        Environment["HOME"] = Home;
    }

    public string Home { get; }

    public Dictionary<string, string> Environment { get; } = new();

    /// <summary>A new empty root, removed on Dispose.</summary>
    public string NewRoot()
    {
        var root = Directory.CreateTempSubdirectory("berth-regroot-").FullName;
        _roots.Add(root);
        return root;
    }

    /// <summary>A new root holding busybox:latest (berth image bootstrap).</summary>
    public string BootstrappedRoot()
    {
        var root = NewRoot();
        Ok(root, "image", "bootstrap");
        return root;
    }

    public Process Start(string root, params string[] args)
    {
        var info = new ProcessStartInfo(BerthCli.Berth) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add("--root");
        info.ArgumentList.Add(root);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in Environment)
            info.Environment[key] = value;
        return Process.Start(info)!;
    }

    public BerthCli.Result Run(string root, string[] args, string? stdin = null, TimeSpan? timeout = null)
    {
        using var process = Start(root, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
                process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(120)))
        {
            var pid = process.Id;
            process.Kill();
            process.WaitForExit();
            Assert.Fail($"berth {string.Join(' ', args)} (pid {pid}) did not finish; killed");
        }
        process.WaitForExit();
        return new BerthCli.Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public BerthCli.Result Run(string root, params string[] args) => Run(root, args, null);

    public string Ok(string root, params string[] args)
    {
        var result = Run(root, args);
        Assert.True(result.ExitCode == 0, $"berth {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }

    public void Dispose()
    {
        foreach (var root in _roots.Append(Home))
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
