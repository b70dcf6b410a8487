using System.Runtime.InteropServices;
using System.Text;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Cgroups.Devices;

internal static partial class DeviceFilter
{
    /// <summary>
    /// Loads <paramref name="program"/> and attaches it to the cgroup directory with
    /// BPF_F_ALLOW_MULTI, then detaches the device programs that were there before, so an
    /// `update` swaps rules without a moment of no filter. The attachment outlives our file
    /// descriptors: the kernel keeps it for the cgroup's life.
    /// </summary>
    public static unsafe void Attach(string cgroupDir, byte[] program)
    {
        var progFd = Load(program, cgroupDir);
        var dirFd = -1;
        try
        {
            dirFd = Libc.open(cgroupDir, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
            if (dirFd < 0)
            {
                throw Errno.Last($"open cgroup `{cgroupDir}`");
            }
            var old = Query(dirFd, cgroupDir);
            var attr = stackalloc byte[Libc.BpfAttrSize];
            new Span<byte>(attr, Libc.BpfAttrSize).Clear();
            *(uint*)(attr + 0) = (uint)dirFd;                   // target_fd
            *(uint*)(attr + 4) = (uint)progFd;                  // attach_bpf_fd
            *(uint*)(attr + 8) = Libc.BPF_CGROUP_DEVICE;        // attach_type
            *(uint*)(attr + 12) = Libc.BPF_F_ALLOW_MULTI;       // attach_flags
            if (Libc.bpf(Libc.BPF_PROG_ATTACH, attr, Libc.BpfAttrSize) < 0)
            {
                throw Errno.Last($"attach device filter to cgroup `{cgroupDir}`");
            }
            foreach (var id in old)
            {
                Detach(dirFd, id, cgroupDir);
            }
        }
        finally
        {
            if (dirFd >= 0)
            {
                Libc.close(dirFd);
            }
            Libc.close(progFd);
        }
    }

    private static unsafe int Load(byte[] program, string cgroupDir)
    {
        var license = "Apache\0"u8.ToArray();
        var log = new byte[64 * 1024];
        var name = Encoding.ASCII.GetBytes("berth_devices");
        fixed (byte* insns = program)
        fixed (byte* lic = license)
        fixed (byte* logBuf = log)
        {
            var attr = stackalloc byte[Libc.BpfAttrSize];
            var span = new Span<byte>(attr, Libc.BpfAttrSize);
            span.Clear();
            *(uint*)(attr + 0) = Libc.BPF_PROG_TYPE_CGROUP_DEVICE; // prog_type
            *(uint*)(attr + 4) = (uint)(program.Length / 8);       // insn_cnt
            *(ulong*)(attr + 8) = (ulong)insns;                    // insns
            *(ulong*)(attr + 16) = (ulong)lic;                     // license
            *(uint*)(attr + 24) = 1;                               // log_level
            *(uint*)(attr + 28) = (uint)log.Length;                // log_size
            *(ulong*)(attr + 32) = (ulong)logBuf;                  // log_buf
            name.CopyTo(span[48..64]);                             // prog_name
            var fd = Libc.bpf(Libc.BPF_PROG_LOAD, attr, Libc.BpfAttrSize);
            if (fd < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                var verifier = Encoding.ASCII.GetString(log).TrimEnd('\0').Trim();
                var e = Errno.Exception($"load device filter for cgroup `{cgroupDir}`", errno);
                throw verifier.Length == 0 ? e : new Errdefs.BerthException(e.Kind, $"{e.Message} (verifier: {verifier.ReplaceLineEndings(" ")})") { Errno = errno };
            }
            return (int)fd;
        }
    }

    /// <summary>The ids of the device programs attached to the cgroup itself.</summary>
    private static unsafe uint[] Query(int dirFd, string cgroupDir)
    {
        var ids = new uint[64];
        fixed (uint* idsPtr = ids)
        {
            var attr = stackalloc byte[Libc.BpfAttrSize];
            new Span<byte>(attr, Libc.BpfAttrSize).Clear();
            *(uint*)(attr + 0) = (uint)dirFd;                 // query.target_fd
            *(uint*)(attr + 4) = Libc.BPF_CGROUP_DEVICE;      // query.attach_type
            *(ulong*)(attr + 16) = (ulong)idsPtr;             // query.prog_ids
            *(uint*)(attr + 24) = (uint)ids.Length;           // query.prog_cnt
            if (Libc.bpf(Libc.BPF_PROG_QUERY, attr, Libc.BpfAttrSize) < 0)
            {
                throw Errno.Last($"query device filters of cgroup `{cgroupDir}`");
            }
            var count = *(uint*)(attr + 24);
            return ids[..(int)Math.Min(count, (uint)ids.Length)];
        }
    }

    private static unsafe void Detach(int dirFd, uint id, string cgroupDir)
    {
        var attr = stackalloc byte[Libc.BpfAttrSize];
        new Span<byte>(attr, Libc.BpfAttrSize).Clear();
        *(uint*)(attr + 0) = id;                              // prog_id
        var fd = Libc.bpf(Libc.BPF_PROG_GET_FD_BY_ID, attr, Libc.BpfAttrSize);
        if (fd < 0)
        {
            if (Marshal.GetLastPInvokeError() == Errno.ENOENT)
            {
                return;
            }
            throw Errno.Last($"open device filter {id} of cgroup `{cgroupDir}`");
        }
        try
        {
            new Span<byte>(attr, Libc.BpfAttrSize).Clear();
            *(uint*)(attr + 0) = (uint)dirFd;                 // target_fd
            *(uint*)(attr + 4) = (uint)fd;                    // attach_bpf_fd
            *(uint*)(attr + 8) = Libc.BPF_CGROUP_DEVICE;      // attach_type
            if (Libc.bpf(Libc.BPF_PROG_DETACH, attr, Libc.BpfAttrSize) < 0)
            {
                throw Errno.Last($"detach old device filter {id} from cgroup `{cgroupDir}`");
            }
        }
        finally
        {
            Libc.close((int)fd);
        }
    }

    /// <summary>How many device programs are attached to the cgroup itself (tests and diagnostics).</summary>
    internal static int AttachedCount(string cgroupDir)
    {
        var dirFd = Libc.open(cgroupDir, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (dirFd < 0)
        {
            throw Errno.Last($"open cgroup `{cgroupDir}`");
        }
        try
        {
            return Query(dirFd, cgroupDir).Length;
        }
        finally
        {
            Libc.close(dirFd);
        }
    }
}
