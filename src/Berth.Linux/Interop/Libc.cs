using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary>
/// Raw bindings to the C library, named as the man pages name them so they grep against
/// them. Every call sets the last P/Invoke error; the typed wrappers elsewhere in Berth.Linux
/// turn a failure into an exception naming the call and its object.
/// </summary>
public static unsafe partial class Libc
{
    private const string C = "libc";

    [LibraryImport(C, SetLastError = true)]
    public static partial long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    [LibraryImport(C, SetLastError = true)]
    public static partial int getpid();

    [LibraryImport(C, SetLastError = true)]
    public static partial int gettid();

    [LibraryImport(C, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport(C, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(C, SetLastError = true)]
    public static partial int setsid();

    [LibraryImport(C, SetLastError = true)]
    public static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [LibraryImport(C, SetLastError = true)]
    public static partial int unshare(int flags);

    [LibraryImport(C, SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport(C, SetLastError = true)]
    public static partial int sethostname(byte* name, nuint len);

    [LibraryImport(C, SetLastError = true)]
    public static partial int setdomainname(byte* name, nuint len);

    [LibraryImport(C, SetLastError = true)]
    public static partial int capget(void* header, void* data);

    [LibraryImport(C, SetLastError = true)]
    public static partial int capset(void* header, void* data);

    [LibraryImport(C, SetLastError = true)]
    public static partial int setresuid(uint ruid, uint euid, uint suid);

    [LibraryImport(C, SetLastError = true)]
    public static partial int setresgid(uint rgid, uint egid, uint sgid);

    [LibraryImport(C, SetLastError = true)]
    public static partial int setgroups(nuint size, uint* list);

    [LibraryImport(C, SetLastError = true)]
    public static partial int prlimit(int pid, int resource, RLimit* newLimit, RLimit* oldLimit);

    [LibraryImport(C, SetLastError = true)]
    public static partial uint umask(uint mask);

    [LibraryImport(C, SetLastError = true)]
    public static partial int sigprocmask(int how, ulong* set, ulong* oldset);

    [LibraryImport(C, SetLastError = true)]
    public static partial nint signal(int signum, nint handler);

    [LibraryImport(C, SetLastError = true)]
    public static partial int execve(byte* path, byte** argv, byte** envp);

    [LibraryImport(C, SetLastError = true)]
    public static partial int personality(ulong persona);
}

[StructLayout(LayoutKind.Sequential)]
public struct RLimit
{
    public ulong Cur;
    public ulong Max;
}
