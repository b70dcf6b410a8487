using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

public static unsafe partial class Libc
{
    /// <summary>Bytes reserved for struct termios (60 on x86_64 and arm64 glibc).</summary>
    public const int TermiosBytes = 64;
    public const int TCSANOW = 0;

    [LibraryImport(C, SetLastError = true)]
    public static partial int isatty(int fd);

    [LibraryImport(C, SetLastError = true)]
    public static partial int tcgetattr(int fd, byte* termios);

    [LibraryImport(C, SetLastError = true)]
    public static partial int tcsetattr(int fd, int optionalActions, byte* termios);

    [LibraryImport(C)]
    public static partial void cfmakeraw(byte* termios);
}
