using System.Collections.Frozen;
using System.Runtime.InteropServices;
using Berth.Errdefs;
using Berth.Seccomp.Syscalls;

namespace Berth.Seccomp;

/// <summary>
/// System call names to numbers per architecture, as libseccomp resolves them (the tables
/// are generated from it by <c>Syscalls/gen-tables.py</c>). A name an architecture lacks
/// (<c>_llseek</c> on x86_64) resolves to nothing there, as libseccomp skips it.
/// </summary>
public static class SyscallTable
{
    private static readonly FrozenDictionary<string, int>[] Tables =
    [
        Freeze(SyscallTables.X86_64),
        Freeze(SyscallTables.X86),
        Freeze(SyscallTables.X32),
        Freeze(SyscallTables.Aarch64),
        Freeze(SyscallTables.Arm),
    ];

    private static readonly FrozenSet<string> Elsewhere = SyscallTables.Elsewhere.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The number of <paramref name="name"/> on <paramref name="arch"/>, or null when it has none there.</summary>
    public static int? Resolve(SeccompArch arch, string name) =>
        Tables[(int)arch].TryGetValue(name, out var nr) ? nr : null;

    /// <summary>Every name and number of <paramref name="arch"/>.</summary>
    public static IReadOnlyDictionary<string, int> Of(SeccompArch arch) => Tables[(int)arch];

    /// <summary>
    /// True when some architecture libseccomp supports has a system call of this name, even
    /// one Berth has no table for (<c>s390_runtime_instr</c>): such a name is not a typo.
    /// </summary>
    public static bool IsKnown(string name) =>
        Elsewhere.Contains(name) || Array.Exists(Tables, t => t.ContainsKey(name));

    /// <summary>The architecture this process runs as.</summary>
    public static SeccompArch Native => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => SeccompArch.X86_64,
        Architecture.X86 => SeccompArch.X86,
        Architecture.Arm64 => SeccompArch.Aarch64,
        Architecture.Arm => SeccompArch.Arm,
        var other => throw new BerthException(ErrorKind.NotImplemented,
            $"seccomp native architecture `{other.ToString().ToLowerInvariant()}`: not supported"),
    };

    private static FrozenDictionary<string, int> Freeze((string Name, int Nr)[] table) =>
        table.ToFrozenDictionary(e => e.Name, e => e.Nr, StringComparer.Ordinal);
}
