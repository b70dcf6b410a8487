using System.Globalization;

namespace Berth.Monitor;

/// <summary>
/// Tells whether the kernel OOM-killed a process in the container's memory cgroup: the
/// <c>oom_kill</c> counter of memory.events (cgroup v2) or memory.oom_control (v1), read before
/// the runtime deletes the cgroup.
/// </summary>
internal sealed class OomWatch
{
    private readonly string file;

    private OomWatch(string file) => this.file = file;

    /// <summary>The watch for the memory cgroup of <paramref name="pid"/>, or null when it has none we can read.</summary>
    public static OomWatch? For(int pid)
    {
        try
        {
            string? v1 = null, v2 = null;
            foreach (var line in File.ReadAllLines($"/proc/{pid}/cgroup"))
            {
                var parts = line.Split(':', 3);
                if (parts.Length != 3)
                    continue;
                if (parts[1].Split(',').Contains("memory"))
                    v1 = parts[2];
                else if (parts[0] == "0" && parts[1].Length == 0)
                    v2 = parts[2];
            }
            foreach (var line in File.ReadAllLines("/proc/self/mountinfo"))
            {
                var dash = line.IndexOf(" - ", StringComparison.Ordinal);
                if (dash < 0)
                    continue;
                var left = line[..dash].Split(' ');
                var right = line[(dash + 3)..].Split(' ');
                if (v1 is not null && right[0] == "cgroup" && right.Length > 2 && right[2].Split(',').Contains("memory"))
                    return new OomWatch(Path.Combine(left[4], v1.TrimStart('/'), "memory.oom_control"));
                if (v1 is null && v2 is not null && right[0] == "cgroup2")
                    return new OomWatch(Path.Combine(left[4], v2.TrimStart('/'), "memory.events"));
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    public bool Killed()
    {
        try
        {
            foreach (var line in File.ReadAllLines(file))
            {
                if (line.StartsWith("oom_kill ", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan(9), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                    return count > 0;
            }
        }
        catch (IOException)
        {
        }
        return false;
    }
}
