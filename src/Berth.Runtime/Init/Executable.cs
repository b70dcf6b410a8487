using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Init;

/// <summary>
/// Finds the program to exec inside the container, before the container is reported created,
/// so that a missing program fails `create` rather than the process. The messages are Go's,
/// which engines match on (podman maps "executable file not found" to exit 127).
/// </summary>
internal static class Executable
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private const int X_OK = 1;

    public static string Find(Process process)
    {
        var name = process.Args![0];
        if (name.Contains('/'))
        {
            var path = name.StartsWith('/') ? name : Path.Combine(process.Cwd, name);
            Check(name, path);
            return path;
        }
        var pathVariable = (process.Env ?? []).LastOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? DefaultPath;
        foreach (var dir in pathVariable.Split(':'))
        {
            var candidate = Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (File.Exists(candidate) && Libc.access(candidate, X_OK) == 0)
                return candidate;
        }
        throw BerthException.NotFound($"exec: \"{name}\": executable file not found in $PATH");
    }

    private static void Check(string name, string path)
    {
        if (Directory.Exists(path))
            throw Errno.Exception($"exec: \"{name}\"", Errno.EACCES);
        if (!File.Exists(path))
            throw Errno.Exception($"exec: \"{name}\": stat {path}", Errno.ENOENT);
        if (Libc.access(path, X_OK) != 0)
            throw Errno.Exception($"exec: \"{name}\"", Errno.EACCES);
    }
}
