using System.Text.Json;
using Berth.Errdefs;
using Berth.Oci.Runtime;
using Berth.Seccomp;

namespace Berth.Engine.Spec;

/// <summary>
/// Resolves a seccomp profile in docker's format for one container, as moby's
/// <c>setupSeccomp</c> does: <c>archMap</c> picks the host's architecture and its
/// sub-architectures; a rule applies only when the container's bounding capabilities, the host
/// architecture and the kernel version meet its <c>includes</c> and avoid its <c>excludes</c>.
/// Bad JSON, or a profile giving both <c>architectures</c> and <c>archMap</c>, or both
/// <c>name</c> and <c>names</c> in one rule, is InvalidArgument.
/// </summary>
public static class SeccompProfiles
{
    /// <summary>Berth's default profile, resolved for the container's capabilities.</summary>
    public static LinuxSeccomp Default(IReadOnlyList<string> capabilities, SeccompArch arch, string? kernelVersion = null) =>
        Resolve(DefaultSeccompProfile.Create(), capabilities, arch, kernelVersion);

    /// <summary>Parses docker's profile JSON (what <c>--security-opt seccomp=FILE</c> sends).</summary>
    public static DockerSeccompProfile Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, DockerSeccompJsonContext.Default.DockerSeccompProfile)
                ?? throw BerthException.InvalidArgument("decoding seccomp profile failed: profile is null");
        }
        catch (JsonException e)
        {
            throw BerthException.Wrap(e, "decoding seccomp profile failed");
        }
    }

    public static LinuxSeccomp Resolve(
        DockerSeccompProfile profile, IReadOnlyList<string> capabilities, SeccompArch arch, string? kernelVersion = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        // Source-generated JSON leaves a missing string null despite the "" initialiser.
        if (string.IsNullOrEmpty(profile.DefaultAction))
            throw BerthException.InvalidArgument("decoding seccomp profile failed: defaultAction is missing");
        if (profile.Architectures is { Count: > 0 } && profile.ArchMap is { Count: > 0 })
            throw BerthException.InvalidArgument(
                "both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");

        var nativeName = "SCMP_ARCH_" + arch.ToString().ToUpperInvariant();
        var architectures = new List<string>(profile.Architectures ?? []);
        foreach (var map in profile.ArchMap ?? [])
        {
            if (map.Architecture == nativeName)
            {
                architectures.Add(map.Architecture);
                architectures.AddRange(map.SubArchitectures ?? []);
            }
        }

        var goArch = GoArch(arch);
        var syscalls = new List<LinuxSyscall>();
        foreach (var rule in profile.Syscalls ?? [])
        {
            var names = rule.Names ?? [];
            if (!string.IsNullOrEmpty(rule.Name))
            {
                if (names.Count > 0)
                    throw BerthException.InvalidArgument(
                        "both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'");
                names = [rule.Name];
            }
            if (string.IsNullOrEmpty(rule.Action))
                throw BerthException.InvalidArgument($"seccomp rule for `{string.Join(',', names)}`: action is missing");
            if (!Applies(rule, capabilities, goArch, kernelVersion))
                continue;
            syscalls.Add(new LinuxSyscall
            {
                Names = names,
                Action = rule.Action,
                ErrnoRet = rule.ErrnoRet,
                Args = rule.Args is { Count: > 0 } args
                    ? args.Select(a => new LinuxSeccompArg { Index = a.Index, Value = a.Value, ValueTwo = a.ValueTwo, Op = a.Op ?? "" }).ToList()
                    : null,
            });
        }
        return new LinuxSeccomp
        {
            DefaultAction = profile.DefaultAction,
            DefaultErrnoRet = profile.DefaultErrnoRet,
            Architectures = architectures.Count > 0 ? architectures : null,
            Flags = profile.Flags,
            ListenerPath = profile.ListenerPath,
            ListenerMetadata = profile.ListenerMetadata,
            Syscalls = syscalls,
        };
    }

    private static bool Applies(DockerSeccompSyscall rule, IReadOnlyList<string> caps, string goArch, string? kernel)
    {
        if (rule.Excludes is { } ex)
        {
            if (ex.Arches is { Count: > 0 } && ex.Arches.Contains(goArch))
                return false;
            if (ex.Caps is { Count: > 0 } && ex.Caps.Any(caps.Contains))
                return false;
            if (ex.MinKernel is { } min && KernelAtLeast(kernel, min))
                return false;
        }
        if (rule.Includes is { } inc)
        {
            if (inc.Arches is { Count: > 0 } && !inc.Arches.Contains(goArch))
                return false;
            if (inc.Caps is { Count: > 0 } && !inc.Caps.All(caps.Contains))
                return false;
            if (inc.MinKernel is { } min && !KernelAtLeast(kernel, min))
                return false;
        }
        return true;
    }

    /// <summary>An unknown kernel version counts as new enough: Berth targets current kernels.</summary>
    internal static bool KernelAtLeast(string? kernel, string min)
    {
        if (kernel is null)
            return true;
        var have = MajorMinor(kernel) ?? throw BerthException.InvalidArgument($"kernel version `{kernel}` is not a version");
        var want = MajorMinor(min) ?? throw BerthException.InvalidArgument($"seccomp minKernel `{min}` is not a version");
        return have.CompareTo(want) >= 0;
    }

    private static (int, int)? MajorMinor(string version)
    {
        var parts = version.Split('.', '-', '+');
        return parts.Length >= 2 && int.TryParse(parts[0], out var major) && int.TryParse(parts[1], out var minor)
            ? (major, minor)
            : null;
    }

    private static string GoArch(SeccompArch arch) => arch switch
    {
        SeccompArch.X86_64 => "amd64",
        SeccompArch.X86 => "386",
        SeccompArch.X32 => "x32",
        SeccompArch.Aarch64 => "arm64",
        SeccompArch.Arm => "arm",
        _ => arch.ToString().ToLowerInvariant(),
    };
}
