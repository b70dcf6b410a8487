using Berth.Oci.Runtime;

namespace Berth.Seccomp.Tests.Support;

/// <summary>
/// What a profile means, evaluated directly on one call with no BPF involved: the oracle the
/// compiled programs are checked against. It restates the semantics the compiler documents
/// (native architecture always covered, first matching rule wins, runc's ENOSYS for calls
/// newer than the profile) in the plainest code possible.
/// </summary>
public static class ReferenceModel
{
    public static uint Verdict(LinuxSeccomp profile, SeccompArch native, SeccompArch arch, uint nr, ulong[] args)
    {
        var arches = (profile.Architectures ?? []).Select(ParseArch).Append(native).ToHashSet();
        if (!arches.Contains(arch))
        {
            return Ret.KillThread;
        }

        var defaultRet = Action(profile.DefaultAction, profile.DefaultErrnoRet);
        foreach (var syscall in profile.Syscalls ?? [])
        {
            if (syscall.Names.Any(n => SyscallTable.Resolve(arch, n) == nr)
                && (syscall.Args ?? []).All(a => Holds(a, args[a.Index])))
            {
                return Action(syscall.Action, syscall.ErrnoRet);
            }
        }

        var permissive = defaultRet is Ret.Allow or Ret.Log || (defaultRet & 0xffff0000) == Ret.Trace(0);
        if (!permissive && profile.DefaultErrnoRet != 38)
        {
            var numbers = (profile.Syscalls ?? []).SelectMany(s => s.Names)
                .Select(n => SyscallTable.Resolve(arch, n)).OfType<int>().ToList();
            if (numbers.Count > 0 && nr > (uint)numbers.Max())
            {
                return Ret.Errno(38);
            }
        }

        return defaultRet;
    }

    private static bool Holds(LinuxSeccompArg arg, ulong value) => arg.Op switch
    {
        "SCMP_CMP_NE" => value != arg.Value,
        "SCMP_CMP_LT" => value < arg.Value,
        "SCMP_CMP_LE" => value <= arg.Value,
        "SCMP_CMP_EQ" => value == arg.Value,
        "SCMP_CMP_GE" => value >= arg.Value,
        "SCMP_CMP_GT" => value > arg.Value,
        "SCMP_CMP_MASKED_EQ" => (value & arg.Value) == arg.ValueTwo,
        _ => throw new ArgumentException(arg.Op),
    };

    private static uint Action(string action, uint? errno) => action switch
    {
        "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => Ret.KillThread,
        "SCMP_ACT_KILL_PROCESS" => Ret.KillProcess,
        "SCMP_ACT_TRAP" => Ret.Trap,
        "SCMP_ACT_ERRNO" => Ret.Errno(errno ?? 1),
        "SCMP_ACT_TRACE" => Ret.Trace(errno ?? 1),
        "SCMP_ACT_ALLOW" => Ret.Allow,
        "SCMP_ACT_LOG" => Ret.Log,
        "SCMP_ACT_NOTIFY" => Ret.Notify,
        _ => throw new ArgumentException(action),
    };

    private static SeccompArch ParseArch(string name) => name switch
    {
        "SCMP_ARCH_X86_64" => SeccompArch.X86_64,
        "SCMP_ARCH_X86" => SeccompArch.X86,
        "SCMP_ARCH_X32" => SeccompArch.X32,
        "SCMP_ARCH_AARCH64" => SeccompArch.Aarch64,
        "SCMP_ARCH_ARM" => SeccompArch.Arm,
        _ => throw new ArgumentException(name),
    };
}
