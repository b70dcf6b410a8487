using Berth.Seccomp.Bpf;

namespace Berth.Seccomp.Tests;

/// <summary>The compiler's constants against linux/seccomp.h, linux/audit.h and linux/filter.h.</summary>
public sealed class HeaderConstantTests
{
    [Fact]
    public void ConstantsMatchTheKernelHeaders()
    {
        var ours = new Dictionary<string, ulong>
        {
            ["SECCOMP_RET_KILL_PROCESS"] = SeccompRet.KillProcess,
            ["SECCOMP_RET_KILL_THREAD"] = SeccompRet.KillThread,
            ["SECCOMP_RET_TRAP"] = SeccompRet.Trap,
            ["SECCOMP_RET_ERRNO"] = SeccompRet.Errno,
            ["SECCOMP_RET_USER_NOTIF"] = SeccompRet.UserNotif,
            ["SECCOMP_RET_TRACE"] = SeccompRet.Trace,
            ["SECCOMP_RET_LOG"] = SeccompRet.Log,
            ["SECCOMP_RET_ALLOW"] = SeccompRet.Allow,
            ["SECCOMP_RET_DATA"] = SeccompRet.Data,
            ["SECCOMP_FILTER_FLAG_TSYNC"] = SeccompFlags.Tsync,
            ["SECCOMP_FILTER_FLAG_LOG"] = SeccompFlags.Log,
            ["SECCOMP_FILTER_FLAG_SPEC_ALLOW"] = SeccompFlags.SpecAllow,
            ["SECCOMP_FILTER_FLAG_NEW_LISTENER"] = SeccompFlags.NewListener,
            ["SECCOMP_FILTER_FLAG_TSYNC_ESRCH"] = SeccompFlags.TsyncEsrch,
            ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"] = SeccompFlags.WaitKillableRecv,
            ["AUDIT_ARCH_X86_64"] = SeccompArchNames.AuditX86_64,
            ["AUDIT_ARCH_I386"] = SeccompArchNames.AuditI386,
            ["AUDIT_ARCH_AARCH64"] = SeccompArchNames.AuditAarch64,
            ["AUDIT_ARCH_ARM"] = SeccompArchNames.AuditArm,
            ["__X32_SYSCALL_BIT"] = SeccompArchNames.X32SyscallBit,
            ["BPF_LD | BPF_W | BPF_ABS"] = BpfCodes.LD_W_ABS,
            ["BPF_ALU | BPF_AND | BPF_K"] = BpfCodes.ALU_AND_K,
            ["BPF_JMP | BPF_JA"] = BpfCodes.JMP_JA,
            ["BPF_JMP | BPF_JEQ | BPF_K"] = BpfCodes.JMP_JEQ_K,
            ["BPF_JMP | BPF_JGT | BPF_K"] = BpfCodes.JMP_JGT_K,
            ["BPF_JMP | BPF_JGE | BPF_K"] = BpfCodes.JMP_JGE_K,
            ["BPF_JMP | BPF_JSET | BPF_K"] = BpfCodes.JMP_JSET_K,
            ["BPF_RET | BPF_K"] = BpfCodes.RET_K,
            ["BPF_MAXINSNS"] = BpfCodes.MaxInstructions,
            ["offsetof(struct seccomp_data, nr)"] = BpfCodes.OffsetNr,
            ["offsetof(struct seccomp_data, arch)"] = BpfCodes.OffsetArch,
            ["offsetof(struct seccomp_data, args[3])"] = BpfCodes.OffsetArgLow(3),
            ["sizeof(struct sock_filter)"] = 8,
            ["sizeof(struct sock_fprog)"] = 16,
        };
        var program = """
            #include <stdio.h>
            #include <stddef.h>
            #include <linux/audit.h>
            #include <linux/filter.h>
            #include <linux/seccomp.h>
            #include <asm/unistd.h>
            int main(void) {
            """
            + string.Concat(ours.Keys.Select(k => $"printf(\"%s=%llu\\n\", \"{k}\", (unsigned long long)({k}));\n"))
            + "return 0; }\n";

        var theirs = Gcc.CompileAndRun(program).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=')).ToDictionary(p => p[0], p => ulong.Parse(p[1]));

        foreach (var (name, value) in ours)
        {
            Assert.True(value == theirs[name], $"{name}: ours {value}, header {theirs[name]}");
        }
    }
}
