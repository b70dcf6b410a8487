using Berth.Errdefs;
using Berth.Oci.Runtime;
using Berth.Seccomp.Bpf;

namespace Berth.Seccomp;

/// <summary>
/// Compiles an OCI runtime-spec <c>linux.seccomp</c> profile into a classic BPF program the
/// kernel runs on every system call, with runc's semantics where the spec is silent:
/// <list type="bullet">
/// <item>The filter always covers the native architecture, plus every one listed (libseccomp
/// starts each filter with the native one). A call from any other architecture, or an x32 call
/// when only x86_64 is listed (and vice versa), is killed (<see cref="SeccompRet.BadArch"/>).</item>
/// <item>A name no architecture has is skipped (runc logs and ignores it; crun warns) and
/// reported in <see cref="SeccompProgram.UnknownSyscalls"/>, or rejected with
/// <see cref="SeccompCompileOptions.FailOnUnknownSyscall"/>. A name only some listed
/// architectures have applies to those.</item>
/// <item>Rules for one system call are tried in profile order and the first whose argument
/// tests all hold decides; several tests in one rule must all hold, even on the same argument
/// (runc splits those into separate rules, an OR; the spec reads as an AND).</item>
/// <item>Unless the default action allows, logs or traces, or the default errno is already
/// ENOSYS, calls numbered above the highest one the profile names return ENOSYS, as runc's
/// patchbpf does, so that libc falls back from system calls newer than the profile.</item>
/// </list>
/// Bad input (an unknown action, operator, architecture or flag, an argument index past 5, an
/// errno over 16 bits) is an InvalidArgument naming it.
/// </summary>
public static class SeccompCompiler
{
    public static SeccompProgram Compile(LinuxSeccomp profile) => Compile(profile, new SeccompCompileOptions());

    public static SeccompProgram Compile(LinuxSeccomp profile, SeccompCompileOptions options)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var defaultRet = SeccompAction.Parse(profile.DefaultAction, profile.DefaultErrnoRet);
        if (defaultRet == SeccompRet.UserNotif)
        {
            throw BerthException.InvalidArgument(
                "parse seccomp action `SCMP_ACT_NOTIFY`: cannot be the default action");
        }

        var arches = Architectures(profile, options.NativeArch ?? SyscallTable.Native);
        var rules = Rules(profile);
        var unknown = rules.Select(r => r.Name).Distinct().Where(n => !SyscallTable.IsKnown(n)).ToList();
        if (options.FailOnUnknownSyscall && unknown.Count > 0)
        {
            throw BerthException.InvalidArgument($"resolve seccomp syscall `{unknown[0]}`: unknown system call");
        }

        var needsListener = rules.Any(r => r.Rule.Ret == SeccompRet.UserNotif);
        var flags = Flags(profile, needsListener);
        var enosys = !SeccompAction.IsPermissive(defaultRet) && profile.DefaultErrnoRet != 38;
        var filters = arches.Select(a => ForArch(a, rules, defaultRet, enosys)).ToList();
        var instructions = new FilterEmitter(defaultRet).Emit(filters);
        if (instructions.Count > BpfCodes.MaxInstructions)
        {
            throw BerthException.InvalidArgument(
                $"compile seccomp profile: {instructions.Count} instructions exceed the kernel's limit of {BpfCodes.MaxInstructions}");
        }

        return new SeccompProgram(instructions, flags) { NeedsListener = needsListener, UnknownSyscalls = unknown };
    }

    private static List<SeccompArch> Architectures(LinuxSeccomp profile, SeccompArch native)
    {
        var arches = new List<SeccompArch> { native };
        foreach (var name in profile.Architectures ?? [])
        {
            var arch = SeccompArchNames.Parse(name);
            if (!arches.Contains(arch))
            {
                arches.Add(arch);
            }
        }

        return arches;
    }

    /// <summary>Every (name, rule) pair in profile order, validated.</summary>
    private static List<(string Name, SyscallRule Rule)> Rules(LinuxSeccomp profile)
    {
        var rules = new List<(string, SyscallRule)>();
        foreach (var syscall in profile.Syscalls ?? [])
        {
            var ret = SeccompAction.Parse(syscall.Action, syscall.ErrnoRet);
            var args = syscall.Args ?? [];
            foreach (var arg in args)
            {
                ArgComparison.Validate(arg);
            }

            var rule = new SyscallRule(ret, args);
            foreach (var name in syscall.Names)
            {
                if (string.IsNullOrEmpty(name))
                {
                    throw BerthException.InvalidArgument("resolve seccomp syscall ``: empty name");
                }

                if (ret == SeccompRet.UserNotif && name == "write")
                {
                    // runc: the runtime writes the listener fd to its parent after loading.
                    throw BerthException.InvalidArgument(
                        "parse seccomp action `SCMP_ACT_NOTIFY`: cannot be used for the write syscall");
                }

                rules.Add((name, rule));
            }
        }

        return rules;
    }

    private static uint Flags(LinuxSeccomp profile, bool needsListener)
    {
        var flags = 0u;
        foreach (var name in profile.Flags ?? [])
        {
            flags |= SeccompFlags.Parse(name);
        }

        if ((flags & SeccompFlags.WaitKillableRecv) != 0 && !needsListener)
        {
            throw BerthException.InvalidArgument(
                "parse seccomp flag `SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV`: needs an SCMP_ACT_NOTIFY rule");
        }

        if (needsListener)
        {
            // The kernel refuses TSYNC with a listener unless TSYNC_ESRCH (libseccomp does this too).
            flags |= SeccompFlags.NewListener | ((flags & SeccompFlags.Tsync) != 0 ? SeccompFlags.TsyncEsrch : 0);
        }

        return flags;
    }

    private static ArchFilter ForArch(SeccompArch arch, List<(string Name, SyscallRule Rule)> rules, uint defaultRet, bool enosys)
    {
        var byNr = new SortedDictionary<uint, List<SyscallRule>>();
        uint? last = null;
        foreach (var (name, rule) in rules)
        {
            if (SyscallTable.Resolve(arch, name) is not { } nr)
            {
                continue;
            }

            last = last is { } l && l >= (uint)nr ? l : (uint)nr;
            if (!byNr.TryGetValue((uint)nr, out var list))
            {
                byNr[(uint)nr] = list = [];
            }

            list.Add(rule);
        }

        foreach (var (nr, list) in byNr.ToList())
        {
            Normalize(list, defaultRet);
            if (list.Count == 0)
            {
                byNr.Remove(nr);
            }
        }

        return new ArchFilter(arch, byNr, enosys ? last : null);
    }

    /// <summary>
    /// Drops what cannot change the outcome: rules after an unconditional one, and rules at
    /// the end that return the default action anyway.
    /// </summary>
    private static void Normalize(List<SyscallRule> rules, uint defaultRet)
    {
        var unconditional = rules.FindIndex(r => r.Args.Count == 0);
        if (unconditional >= 0)
        {
            rules.RemoveRange(unconditional + 1, rules.Count - unconditional - 1);
        }

        while (rules.Count > 0 && rules[^1].Ret == defaultRet)
        {
            rules.RemoveAt(rules.Count - 1);
        }
    }
}
