using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary>bpf(2), which glibc does not wrap, and the constants of linux/bpf.h that cgroup device filtering uses.</summary>
public static unsafe partial class Libc
{
    public const int BPF_PROG_LOAD = 5;
    public const int BPF_PROG_ATTACH = 8;
    public const int BPF_PROG_DETACH = 9;
    public const int BPF_PROG_GET_FD_BY_ID = 13;
    public const int BPF_PROG_QUERY = 16;
    public const uint BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    public const uint BPF_CGROUP_DEVICE = 6;
    public const uint BPF_F_ALLOW_MULTI = 2;

    /// <summary>sizeof(union bpf_attr) in the uapi headers this was written against; the kernel accepts smaller, zero-filled.</summary>
    public const int BpfAttrSize = 144;

    private static long SysBpf => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 280 : 321;

    /// <summary>bpf(cmd, attr, size): <paramref name="attr"/> points at a zeroed union bpf_attr of <paramref name="size"/> bytes.</summary>
    public static long bpf(int cmd, void* attr, uint size) => syscall(SysBpf, cmd, (long)attr, size, 0, 0, 0);
}
