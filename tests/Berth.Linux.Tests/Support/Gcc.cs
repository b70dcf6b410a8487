using System.Diagnostics;
using System.Globalization;

namespace Berth.Linux.Tests.Support;

/// <summary>Compiles and runs a tiny C program, to check constants and struct layouts against the real headers.</summary>
internal static class Gcc
{
    public static bool Available { get; } = FindOnPath("gcc") is not null;

    /// <summary>
    /// Prints each C expression as a signed 64-bit number and returns them by expression:
    /// <c>Values("#include &lt;fcntl.h&gt;", ["O_CLOEXEC"])</c>.
    /// </summary>
    public static Dictionary<string, long> Values(string includes, IEnumerable<string> expressions)
    {
        var list = expressions.Distinct().ToList();
        var program = "#define _GNU_SOURCE 1\n#include <stdio.h>\n#include <stddef.h>\n" + includes + "\nint main(void) {\n"
            + string.Concat(list.Select((e, i) => $"printf(\"{i}=%lld\\n\", (long long)({e}));\n"))
            + "return 0; }\n";
        var output = CompileAndRun(program);
        var values = new Dictionary<string, long>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf('=');
            values[list[int.Parse(line[..eq], CultureInfo.InvariantCulture)]] = long.Parse(line[(eq + 1)..], CultureInfo.InvariantCulture);
        }
        return values;
    }

    public static string CompileAndRun(string source)
    {
        var dir = Directory.CreateTempSubdirectory("berth-linux-gcc-");
        try
        {
            var file = Path.Combine(dir.FullName, "probe.c");
            var exe = Path.Combine(dir.FullName, "probe");
            File.WriteAllText(file, source);
            Exec("gcc", ["-o", exe, file], dir.FullName);
            return Exec(exe, [], dir.FullName);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Exec(string file, IReadOnlyList<string> arguments, string cwd)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = cwd,
        };
        foreach (var a in arguments)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: exit {process.ExitCode}: {stderr}");
        return stdout.Result;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}

/// <summary>A fact that needs the C compiler; skipped cleanly where gcc is missing.</summary>
public sealed class GccFactAttribute : FactAttribute
{
    public GccFactAttribute()
    {
        if (!Gcc.Available)
            Skip = "gcc is not installed";
    }
}
