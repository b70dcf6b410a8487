using Berth.Oci.Runtime;

namespace Berth.Seccomp.Tests.Support;

/// <summary>Small helpers to write profiles in tests and run them on x86_64 numbers.</summary>
public static class Profiles
{
    public static readonly SeccompCompileOptions OnX86_64 = new() { NativeArch = SeccompArch.X86_64 };

    public static LinuxSyscall Rule(string action, params string[] names) => new() { Names = names, Action = action };

    public static LinuxSeccompArg Arg(uint index, string op, ulong value, ulong valueTwo = 0) =>
        new() { Index = index, Op = op, Value = value, ValueTwo = valueTwo };

    public static SeccompProgram Compile(LinuxSeccomp profile) => SeccompCompiler.Compile(profile, OnX86_64);

    /// <summary>The verdict for <paramref name="name"/> called on x86_64 with <paramref name="args"/>.</summary>
    public static uint Call(this SeccompProgram program, string name, params ulong[] args) =>
        program.Call(SeccompArch.X86_64, name, args);

    public static uint Call(this SeccompProgram program, SeccompArch arch, string name, params ulong[] args)
    {
        var nr = SyscallTable.Resolve(arch, name) ?? throw new ArgumentException($"{name} has no number on {arch}");
        return BpfInterpreter.Run(program.Instructions, new SeccompData((uint)nr, Audit(arch), args));
    }

    public static uint Audit(SeccompArch arch) => arch switch
    {
        SeccompArch.X86_64 or SeccompArch.X32 => Ret.AuditX86_64,
        SeccompArch.X86 => Ret.AuditI386,
        SeccompArch.Aarch64 => Ret.AuditAarch64,
        _ => Ret.AuditArm,
    };
}
