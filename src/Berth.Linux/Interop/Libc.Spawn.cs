using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

public static unsafe partial class Libc
{
    public const short POSIX_SPAWN_RESETIDS = 0x01;
    public const short POSIX_SPAWN_SETPGROUP = 0x02;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const short POSIX_SPAWN_SETSID = 0x80;

    /// <summary>Bytes reserved for posix_spawn_file_actions_t (80 on x86_64 glibc) and posix_spawnattr_t (336).</summary>
    public const int SpawnStructBytes = 1024;

    [LibraryImport(C, SetLastError = true)]
    public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(C)]
    public static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport(C)]
    public static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport(C)]
    public static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newfd);

    [LibraryImport(C)]
    public static partial int posix_spawn_file_actions_addclose(void* fileActions, int fd);

    [LibraryImport(C)]
    public static partial int posix_spawnattr_init(void* attr);

    [LibraryImport(C)]
    public static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport(C)]
    public static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport(C)]
    public static partial int posix_spawnattr_setsigmask(void* attr, ulong* sigmask);

    [LibraryImport(C)]
    public static partial int posix_spawnattr_setsigdefault(void* attr, ulong* sigdefault);
}
