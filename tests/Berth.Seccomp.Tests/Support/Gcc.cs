using System.Diagnostics;

namespace Berth.Seccomp.Tests;

/// <summary>Runs the machine's C compiler, to check constants against the real headers.</summary>
internal static class Gcc
{
    public static string Run(string source, string arguments)
    {
        var dir = Directory.CreateTempSubdirectory("berth-seccomp-gcc-");
        try
        {
            var file = Path.Combine(dir.FullName, "probe.c");
            File.WriteAllText(file, source);
            return Exec("gcc", $"{arguments} {file}", dir.FullName);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    public static string CompileAndRun(string source)
    {
        var dir = Directory.CreateTempSubdirectory("berth-seccomp-gcc-");
        try
        {
            var file = Path.Combine(dir.FullName, "probe.c");
            var exe = Path.Combine(dir.FullName, "probe");
            File.WriteAllText(file, source);
            Exec("gcc", $"-o {exe} {file}", dir.FullName);
            return Exec(exe, "", dir.FullName);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Exec(string file, string arguments, string cwd)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = cwd,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments}: exit {process.ExitCode}: {stderr}");
        }

        return stdout.Result;
    }
}
