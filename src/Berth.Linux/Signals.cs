using System.Globalization;
using Berth.Errdefs;

namespace Berth.Linux;

/// <summary>Signal numbers by name, as `kill` takes them: "KILL", "SIGKILL" or "9".</summary>
public static class Signals
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12, SIGPIPE = 13;
    public const int SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGWINCH = 28;

    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
        "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    public static int Parse(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (number is > 0 and <= 64)
                return number;
        }
        else
        {
            var name = text.ToUpperInvariant();
            if (name.StartsWith("SIG", StringComparison.Ordinal))
                name = name[3..];
            if (name == "IOT")
                return 6;
            if (name == "POLL")
                return 29;
            var index = Array.IndexOf(Names, name);
            if (index > 0)
                return index;
            if (name.StartsWith("RTMIN", StringComparison.Ordinal) || name.StartsWith("RTMAX", StringComparison.Ordinal))
                return ParseRealtime(name);
        }
        throw BerthException.InvalidArgument($"signal `{text}` is unknown");
    }

    private static int ParseRealtime(string name)
    {
        const int RtMin = 34, RtMax = 64;
        if (name is "RTMIN")
            return RtMin;
        if (name is "RTMAX")
            return RtMax;
        if (name.StartsWith("RTMIN+", StringComparison.Ordinal) && int.TryParse(name[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var plus) && RtMin + plus <= RtMax)
            return RtMin + plus;
        if (name.StartsWith("RTMAX-", StringComparison.Ordinal) && int.TryParse(name[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var minus) && RtMax - minus >= RtMin)
            return RtMax - minus;
        throw BerthException.InvalidArgument($"signal `{name}` is unknown");
    }

    public static string Name(int signal) => signal > 0 && signal < Names.Length ? "SIG" + Names[signal] : signal.ToString(CultureInfo.InvariantCulture);
}
