using Berth.Oci.Runtime;
using Berth.Seccomp.Tests.Support;
using static Berth.Seccomp.Tests.Support.Profiles;

namespace Berth.Seccomp.Tests;

/// <summary>Random profiles, compiled and run, against the reference model's verdicts.</summary>
public sealed class DifferentialTests
{
    private static readonly string[] Actions =
    [
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_ERRNO",
        "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_ALLOW", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG",
    ];

    private static readonly string[] Ops =
        ["SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"];

    private static readonly ulong[] Values =
        [0, 1, 2, 9, 16, 0x7fffffff, 0x80000000, 0xffffffff, 0x1_0000_0000, 0x1_0000_0001, 0x8000_0000_0000_0000, ulong.MaxValue];

    private static readonly string[][] ArchLists =
    [
        [], ["SCMP_ARCH_X86_64"], ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], ["SCMP_ARCH_X86"],
        ["SCMP_ARCH_X32"], ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"],
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void CompiledProgramsAgreeWithTheModel(int seed)
    {
        var random = new Random(seed);
        var names = SyscallTable.Of(SeccompArch.X86_64).OrderBy(kv => kv.Value).Select(kv => kv.Key)
            .Concat(SyscallTable.Of(SeccompArch.X86).Keys).Distinct().ToArray();
        for (var round = 0; round < 40; round++)
        {
            var profile = RandomProfile(random, names);
            var program = Compile(profile);
            foreach (var arch in new[] { SeccompArch.X86_64, SeccompArch.X86, SeccompArch.X32, SeccompArch.Aarch64 })
            {
                var table = SyscallTable.Of(arch);
                var used = (profile.Syscalls ?? []).SelectMany(s => s.Names).Select(n => table.TryGetValue(n, out var nr) ? nr : -1)
                    .Where(nr => nr >= 0).ToList();
                var candidates = used.SelectMany(nr => new[] { nr - 1, nr, nr + 1 })
                    .Concat(Enumerable.Range(0, 8).Select(_ => random.Next(0, 500) | (arch == SeccompArch.X32 ? 0x40000000 : 0)))
                    .Where(nr => nr >= 0 && (nr >= 0x40000000) == (arch == SeccompArch.X32)).Distinct();
                foreach (var nr in candidates)
                {
                    var args = Enumerable.Range(0, 6).Select(_ => Values[random.Next(Values.Length)]).ToArray();
                    var expected = ReferenceModel.Verdict(profile, SeccompArch.X86_64, arch, (uint)nr, args);
                    var actual = BpfInterpreter.Run(program.Instructions, new SeccompData((uint)nr, Audit(arch), args));
                    Assert.True(expected == actual,
                        $"seed {seed} round {round}: {arch} nr {nr} args [{string.Join(",", args.Select(a => $"0x{a:x}"))}]: model 0x{expected:x}, program 0x{actual:x}");
                }
            }
        }
    }

    private static LinuxSeccomp RandomProfile(Random random, string[] names)
    {
        var syscalls = new List<LinuxSyscall>();
        var count = random.Next(0, 80);
        for (var i = 0; i < count; i++)
        {
            // Consecutive names (by x86_64 number) make ranges; random ones make scattered calls.
            var start = random.Next(names.Length);
            var run = random.Next(3) == 0;
            var picked = run
                ? names.Skip(start).Take(random.Next(1, 30))
                : Enumerable.Range(0, random.Next(1, 6)).Select(_ => names[random.Next(names.Length)]);
            var args = !run && random.Next(3) == 0
                ? Enumerable.Range(0, random.Next(1, 4)).Select(_ => Arg((uint)random.Next(6), Ops[random.Next(Ops.Length)],
                    Values[random.Next(Values.Length)], Values[random.Next(Values.Length)])).ToList()
                : null;
            syscalls.Add(new LinuxSyscall
            {
                Names = picked.ToList(),
                Action = Actions[random.Next(Actions.Length)],
                ErrnoRet = random.Next(2) == 0 ? (uint)random.Next(1, 200) : null,
                Args = args,
            });
        }

        return new LinuxSeccomp
        {
            DefaultAction = Actions[random.Next(Actions.Length)],
            DefaultErrnoRet = random.Next(3) switch { 0 => null, 1 => 38, _ => (uint)random.Next(1, 100) },
            Architectures = ArchLists[random.Next(ArchLists.Length)],
            Syscalls = syscalls,
        };
    }
}
