using Berth.Linux.Interop;

namespace Berth.Cli.Building;

/// <summary>The build display's questions about stderr, where it draws: is it a terminal, and how big.</summary>
internal static class StderrTerminal
{
    private const int Stderr = 2;
    private const ulong TIOCGWINSZ = 0x5413;

    public static bool IsTerminal() => Libc.isatty(Stderr) == 1;

    /// <summary>Columns and rows of the terminal on stderr; 80×24 when it cannot say (BuildKit falls back likewise).</summary>
    public static unsafe (int Columns, int Rows) Size()
    {
        var size = stackalloc ushort[4];
        if (Libc.ioctl(Stderr, TIOCGWINSZ, size) == 0 && size[0] > 0 && size[1] > 0)
        {
            return (size[1], size[0]);
        }
        return (80, 24);
    }
}
