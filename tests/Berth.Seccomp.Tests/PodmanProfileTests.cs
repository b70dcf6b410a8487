using System.Text.Json;
using Berth.Oci.Runtime;
using Berth.Seccomp.Tests.Support;
using Xunit.Abstractions;

namespace Berth.Seccomp.Tests;

/// <summary>The real profile podman and cri-o ship (containers-common), compiled and run.</summary>
public sealed class PodmanProfileTests(ITestOutputHelper output)
{
    private const string Path = "/usr/share/containers/seccomp.json";
    private const ulong CloneNewUser = 0x10000000;
    private const ulong CloneNewNs = 0x00020000;

    /// <summary>Podman's default capabilities (containers.conf default_capabilities).</summary>
    private static readonly HashSet<string> PodmanCaps =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE",
        "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT",
    ];

    private static SeccompProgram CompileForX86_64(IReadOnlySet<string> caps) =>
        SeccompCompiler.Compile(
            DockerProfile.Convert(File.ReadAllText(Path), "amd64", "SCMP_ARCH_X86_64", caps),
            Profiles.OnX86_64 with { FailOnUnknownSyscall = true });

    [Fact]
    public void CompilesWellUnderTheKernelLimit()
    {
        var program = CompileForX86_64(PodmanCaps);
        output.WriteLine($"{Path}: {program.Instructions.Count} instructions");

        Assert.InRange(program.Instructions.Count, 100, 4096);
        Assert.Empty(program.UnknownSyscalls);
        Assert.Equal(0u, program.Flags);
        BpfInterpreter.Check(program.Instructions);
    }

    [Theory]
    [InlineData(SeccompArch.X86_64)]
    [InlineData(SeccompArch.X86)]
    [InlineData(SeccompArch.X32)]
    public void VerdictsAreWhatTheProfileSays(SeccompArch arch)
    {
        var program = CompileForX86_64(PodmanCaps);

        Assert.Equal(Ret.Allow, program.Call(arch, "read"));
        Assert.Equal(Ret.Allow, program.Call(arch, "execve"));
        Assert.Equal(Ret.Errno(1), program.Call(arch, "kexec_load"));     // listed: EPERM
        Assert.Equal(Ret.Errno(38), program.Call(arch, "add_key"));       // not listed: defaultErrnoRet ENOSYS
        Assert.Equal(Ret.Errno(38), program.Call(arch, "request_key"));
        Assert.Equal(Ret.Allow, program.Call(arch, "chroot"));            // CAP_SYS_CHROOT is a default cap
        Assert.Equal(Ret.Errno(1), program.Call(arch, "init_module"));    // CAP_SYS_MODULE is not
        Assert.Equal(Ret.Errno(1), program.Call(arch, "open_by_handle_at"));
        Assert.Equal(Ret.Allow, program.Call(arch, "clone", CloneNewUser | CloneNewNs | 17)); // podman allows all clone flags
        Assert.Equal(Ret.Allow, program.Call(arch, "unshare", CloneNewUser));
    }

    [Fact]
    public void ArgumentRulesFollowTheProfile()
    {
        var program = CompileForX86_64(PodmanCaps);

        Assert.Equal(Ret.Allow, program.Call("personality", 0));
        Assert.Equal(Ret.Allow, program.Call("personality", 0xffffffff));
        Assert.Equal(Ret.Errno(38), program.Call("personality", 1));
        Assert.Equal(Ret.Errno(38), program.Call("personality", 0x1_0000_0008)); // high bits count
        Assert.Equal(Ret.Allow, program.Call("socket", 2, 1, 0));               // AF_INET
        Assert.Equal(Ret.Errno(22), program.Call("socket", 16, 3, 9));          // AF_NETLINK, NETLINK_AUDIT
        Assert.Equal(Ret.Allow, program.Call("socket", 16, 3, 0));              // other netlink
        Assert.Equal(Ret.Allow, program.Call("arch_prctl"));                    // includes amd64
        Assert.Equal(Ret.KillThread, program.Call(SeccompArch.Aarch64, "read")); // not in archMap for x86_64
    }

    [Fact]
    public void CapabilitiesChangeTheFilter()
    {
        var program = CompileForX86_64(new HashSet<string>(PodmanCaps) { "CAP_SYS_ADMIN", "CAP_AUDIT_WRITE" });

        Assert.Equal(Ret.Allow, program.Call("bpf"));
        Assert.Equal(Ret.Allow, program.Call("socket", 16, 3, 9));
    }

    [Fact]
    public void TheFileAlsoParsesAsASpecProfile()
    {
        // The extra docker fields (archMap, includes, excludes, comment) are ignored by the spec types.
        var profile = JsonSerializer.Deserialize(File.ReadAllText(Path), RuntimeJsonContext.Default.LinuxSeccomp)!;

        var program = SeccompCompiler.Compile(profile, Profiles.OnX86_64);

        Assert.Equal("SCMP_ACT_ERRNO", profile.DefaultAction);
        Assert.Equal(38u, profile.DefaultErrnoRet);
        Assert.Equal(Ret.Allow, program.Call("read"));
        Assert.Equal(Ret.Errno(1), program.Call("kexec_load"));
    }
}
