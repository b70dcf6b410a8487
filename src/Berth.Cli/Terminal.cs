using Berth.Linux.Interop;

namespace Berth.Cli;

/// <summary>The CLI's questions about its terminal: is a descriptor one (docker's "the input device is not a TTY"), and its size (docker's ConsoleSize).</summary>
internal static class Terminal
{
    private const ulong TIOCGWINSZ = 0x5413;

    public static bool IsTerminal(int fd) => Libc.isatty(fd) == 1;

    /// <summary>[rows, columns] of the terminal on stdout or stdin, or [0, 0] when neither is one.</summary>
    public static unsafe int[] Size()
    {
        var size = stackalloc ushort[4];
        foreach (var fd in new[] { 1, 0 })
        {
            if (Libc.ioctl(fd, TIOCGWINSZ, size) == 0 && size[0] > 0 && size[1] > 0)
                return [size[0], size[1]];
        }
        return [0, 0];
    }
}
