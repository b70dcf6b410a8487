using System.Runtime.InteropServices;

namespace Berth.Cli;

/// <summary>isatty(3) for the CLI's checks (docker's "the input device is not a TTY").</summary>
internal static partial class Terminal
{
    public static bool IsTerminal(int fd) => isatty(fd) == 1;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int isatty(int fd);
}
