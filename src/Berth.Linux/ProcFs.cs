using System.Globalization;

namespace Berth.Linux;

/// <summary>Facts about a process from /proc/PID/stat.</summary>
public static class ProcFs
{
    /// <summary>
    /// The process's start time in clock ticks since boot (field 22), which together with its
    /// pid names a process for good: a pid can be reused, the pair cannot.
    /// </summary>
    public static bool TryReadStat(int pid, out char state, out ulong startTime)
    {
        state = '\0';
        startTime = 0;
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0)
            return false;
        var fields = text[(close + 2)..].Split(' ');
        if (fields.Length < 20)
            return false;
        state = fields[0][0];
        return ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out startTime);
    }

    /// <summary>True when the process with this pid and start time still runs (and is no zombie).</summary>
    public static bool IsAlive(int pid, ulong startTime) =>
        pid > 0 && TryReadStat(pid, out var state, out var start) && start == startTime && state is not ('Z' or 'X' or 'x');
}
