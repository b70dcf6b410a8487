using Berth.Engine.Spec;
using Berth.Errdefs;
using Berth.Oci.Runtime;
using Berth.Seccomp;

namespace Berth.Engine.Tests.Spec;

public sealed class SeccompProfilesTests
{
    private static IEnumerable<string> Allowed(LinuxSeccomp p) =>
        p.Syscalls!.Where(s => s.Action == "SCMP_ACT_ALLOW" && s.Args is null).SelectMany(s => s.Names);

    [Fact]
    public void Default_denies_admin_calls_and_allows_ordinary_ones()
    {
        var profile = SeccompProfiles.Default(CapabilitySet.Default, SeccompArch.X86_64);
        Assert.Equal("SCMP_ACT_ERRNO", profile.DefaultAction);
        Assert.Equal(1u, profile.DefaultErrnoRet);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], profile.Architectures);
        var allowed = Allowed(profile).ToHashSet();
        foreach (var ok in new[] { "read", "openat", "execve", "chroot", "ptrace", "arch_prctl", "socket", "clock_gettime" })
            Assert.Contains(ok, allowed);
        foreach (var denied in new[]
        {
            "mount", "umount2", "reboot", "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
            "swapon", "swapoff", "acct", "settimeofday", "clock_settime", "add_key", "request_key", "keyctl", "bpf",
            "perf_event_open", "userfaultfd", "open_by_handle_at", "name_to_handle_at", "unshare", "setns", "pivot_root",
            "iopl", "ioperm", "lookup_dcookie", "quotactl", "nfsservctl", "vm86", "kcmp", "personality", "clone",
        })
        {
            Assert.DoesNotContain(denied, allowed);
        }
        var clone = Assert.Single(profile.Syscalls!, s => s.Names.Contains("clone"));
        Assert.Equal("SCMP_CMP_MASKED_EQ", clone.Args![0].Op);
        Assert.Equal(0x7E020000ul, clone.Args[0].Value);
        Assert.Equal(38u, Assert.Single(profile.Syscalls!, s => s.Names.Contains("clone3")).ErrnoRet);
        Assert.Equal(5, profile.Syscalls!.Count(s => s.Names.Contains("personality")));
    }

    [Theory]
    [InlineData("CAP_SYS_ADMIN", "mount,unshare,setns,clone,clone3")]
    [InlineData("CAP_SYS_PTRACE", "process_vm_readv,kcmp")]
    [InlineData("CAP_SYS_TIME", "settimeofday,clock_settime")]
    [InlineData("CAP_SYS_MODULE", "init_module,finit_module,delete_module")]
    [InlineData("CAP_SYS_BOOT", "reboot")]
    public void Capabilities_unlock_their_calls(string cap, string calls)
    {
        var profile = SeccompProfiles.Default([.. CapabilitySet.Default, cap], SeccompArch.X86_64);
        var allowed = Allowed(profile).ToHashSet();
        foreach (var call in calls.Split(','))
            Assert.Contains(call, allowed);
        if (cap == "CAP_SYS_ADMIN")
            Assert.DoesNotContain(profile.Syscalls!, s => s.Names.Contains("clone") && s.Args is not null);
    }

    [Fact]
    public void Default_names_are_all_known_and_it_compiles()
    {
        foreach (var name in Allowed(SeccompProfiles.Default(CapabilitySet.All, SeccompArch.X86_64)))
            Assert.True(SyscallTable.IsKnown(name), name);
        foreach (var arch in new[] { SeccompArch.X86_64, SeccompArch.Aarch64 })
        {
            var profile = SeccompProfiles.Default(CapabilitySet.Default, arch);
            SeccompCompiler.Compile(profile, new SeccompCompileOptions { NativeArch = arch });
        }
    }

    [Fact]
    public void Old_kernel_loses_ptrace()
    {
        var allowed = Allowed(SeccompProfiles.Default(CapabilitySet.Default, SeccompArch.X86_64, "4.4.0-210-generic"));
        Assert.DoesNotContain("ptrace", allowed);
    }

    [Fact]
    public void Docker_profile_json_with_arch_map_and_conditions()
    {
        const string json = """
            {"defaultAction":"SCMP_ACT_ALLOW",
             "archMap":[{"architecture":"SCMP_ARCH_AARCH64","subArchitectures":["SCMP_ARCH_ARM"]},
                        {"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86"]}],
             "syscalls":[
               {"name":"mkdir","action":"SCMP_ACT_ERRNO","errnoRet":13},
               {"names":["chmod"],"action":"SCMP_ACT_ERRNO","includes":{"caps":["CAP_SYS_ADMIN"]}},
               {"names":["chown"],"action":"SCMP_ACT_ERRNO","excludes":{"arches":["amd64"]}},
               {"names":["kill"],"action":"SCMP_ACT_ERRNO","args":[{"index":1,"value":9,"op":"SCMP_CMP_EQ"}],"unknownField":1}
             ]}
            """;
        var profile = SeccompProfiles.Resolve(SeccompProfiles.Parse(json), CapabilitySet.Default, SeccompArch.X86_64);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"], profile.Architectures);
        Assert.Equal(["mkdir", "kill"], profile.Syscalls!.SelectMany(s => s.Names));
        Assert.Equal(13u, profile.Syscalls![0].ErrnoRet);
        Assert.Equal(9ul, profile.Syscalls[1].Args![0].Value);
    }

    [Theory]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"archMap":[{"architecture":"SCMP_ARCH_X86_64"}]}""",
        "both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"a","names":["b"],"action":"SCMP_ACT_ALLOW"}]}""",
        "both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'")]
    [InlineData("""{"syscalls":[]}""", "decoding seccomp profile failed: defaultAction is missing")]
    public void Bad_profiles(string json, string message)
    {
        var e = Assert.Throws<BerthException>(() =>
            SeccompProfiles.Resolve(SeccompProfiles.Parse(json), CapabilitySet.Default, SeccompArch.X86_64));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Bad_json_is_invalid_argument()
    {
        var e = Assert.Throws<BerthException>(() => SeccompProfiles.Parse("{not json"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith("decoding seccomp profile failed", e.Message);
    }
}
