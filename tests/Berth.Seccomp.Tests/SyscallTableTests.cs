using System.Text.RegularExpressions;

namespace Berth.Seccomp.Tests;

/// <summary>The generated tables against the kernel's own headers on this machine.</summary>
public sealed partial class SyscallTableTests
{
    private const string AsmDir = "/usr/include/x86_64-linux-gnu/asm";

    [Theory]
    [InlineData(SeccompArch.X86_64, "unistd_64.h")]
    [InlineData(SeccompArch.X86, "unistd_32.h")]
    [InlineData(SeccompArch.X32, "unistd_x32.h")]
    public void X86TablesMatchTheKernelHeaders(SeccompArch arch, string header)
    {
        var defined = Parse(File.ReadAllText(Path.Combine(AsmDir, header)));

        AssertSame(arch, defined);
    }

    [Fact]
    public void Aarch64TableMatchesTheGenericHeader()
    {
        // arm64's uapi unistd.h is asm-generic/unistd.h with these wants; let the C preprocessor
        // and compiler work the conditionals out.
        const string Prelude = """
            #define __BITS_PER_LONG 64
            #define __ARCH_WANT_RENAMEAT
            #define __ARCH_WANT_NEW_STAT
            #define __ARCH_WANT_SET_GET_RLIMIT
            #define __ARCH_WANT_SYS_CLONE3
            #define __ARCH_WANT_MEMFD_SECRET
            #include <asm-generic/unistd.h>
            """;
        var macros = Gcc.Run(Prelude, "-E -dM");
        var names = NrDefine().Matches(macros).Select(m => m.Groups[1].Value)
            .Where(n => !n.StartsWith("3264", StringComparison.Ordinal) && n != "syscalls" && n != "arch_specific_syscall")
            .Distinct().ToList();
        var program = Prelude + "\n#include <stdio.h>\nint main(void) {\n"
            + string.Concat(names.Select(n => $"#ifdef __NR_{n}\nprintf(\"#define __NR_{n} %d\\n\", __NR_{n});\n#endif\n"))
            + "return 0; }\n";

        AssertSame(SeccompArch.Aarch64, Parse(Gcc.CompileAndRun(program)));
    }

    private static void AssertSame(SeccompArch arch, Dictionary<string, int> defined)
    {
        var table = SyscallTable.Of(arch);
        var wrong = defined.Where(kv => !table.TryGetValue(kv.Key, out var nr) || nr != kv.Value)
            .Select(kv => $"{kv.Key}={kv.Value} (table: {(table.TryGetValue(kv.Key, out var nr) ? nr : "none")})").ToList();
        // Calls newer than the headers are expected (the tables know more); x32's own 512..547 are not.
        var last = defined.Values.Select(v => v & ~0x40000000).Where(v => v < 512).Max();
        var extra = table.Where(kv => ((kv.Value & ~0x40000000) is var n && (n <= last || n is >= 512 and < 1024)) && !defined.ContainsKey(kv.Key))
            .Select(kv => $"{kv.Key}={kv.Value}").ToList();

        Assert.True(defined.Count > 250, $"only {defined.Count} definitions parsed");
        Assert.True(wrong.Count == 0, "differs from the header: " + string.Join(", ", wrong));
        Assert.True(extra.Count == 0, "not in the header: " + string.Join(", ", extra));
    }

    private static Dictionary<string, int> Parse(string header)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match m in NrValue().Matches(header))
        {
            var nr = int.Parse(m.Groups[3].Value);
            result[m.Groups[1].Value] = m.Groups[2].Success ? 0x40000000 + nr : nr;
        }

        return result;
    }

    [GeneratedRegex(@"^#define __NR_(\w+)\s+(\(__X32_SYSCALL_BIT \+ )?(\d+)\)?\s*$", RegexOptions.Multiline)]
    private static partial Regex NrValue();

    [GeneratedRegex(@"^#define __NR_(\w+)\s", RegexOptions.Multiline)]
    private static partial Regex NrDefine();
}
