using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

public static unsafe partial class Libc
{
    public const int AF_UNIX = 1;
    public const int SOCK_STREAM = 1;
    public const int SOCK_SEQPACKET = 5;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1;
    public const int SCM_RIGHTS = 1;

    [LibraryImport(C, SetLastError = true)]
    public static partial int socketpair(int domain, int type, int protocol, int* sv);

    [LibraryImport(C, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(C, SetLastError = true)]
    public static partial int connect(int fd, void* addr, uint len);

    [LibraryImport(C, SetLastError = true)]
    public static partial nint sendmsg(int fd, MsgHdr* msg, int flags);

    [LibraryImport(C, SetLastError = true)]
    public static partial nint recvmsg(int fd, MsgHdr* msg, int flags);
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct MsgHdr
{
    public void* Name;
    public uint NameLen;
    public IoVec* Iov;
    public nuint IovLen;
    public void* Control;
    public nuint ControlLen;
    public int Flags;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IoVec
{
    public void* Base;
    public nuint Len;
}

[StructLayout(LayoutKind.Sequential)]
public struct CmsgHdr
{
    public nuint Len;
    public int Level;
    public int Type;
}
