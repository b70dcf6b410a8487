using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// The platform an image in an index is for (image-spec image-index.md): GOARCH/GOOS values
/// such as <c>amd64</c>/<c>linux</c>, with an optional variant (<c>v7</c> for 32-bit arm).
/// Compare platforms after <see cref="Normalize"/>, which spells aliases as containerd does
/// (<c>x86_64</c> is <c>amd64</c>, <c>aarch64</c> is <c>arm64</c>, plain <c>arm</c> is <c>v7</c>).
/// </summary>
public sealed record Platform
{
    public string Architecture { get; init; } = "";
    public string Os { get; init; } = "";

    [JsonPropertyName("os.version")]
    public string? OsVersion { get; init; }

    [JsonPropertyName("os.features")]
    public IReadOnlyList<string>? OsFeatures { get; init; }

    public string? Variant { get; init; }

    /// <summary>Docker manifest lists carry this (e.g. <c>sse4</c>); OCI reserves it.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>The platform of this machine, normalised: <c>linux/amd64</c>, <c>linux/arm64</c>...</summary>
    public static Platform Host { get; } = new Platform
    {
        Os = "linux",
        Architecture = RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "amd64",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.Arm => "arm",
            System.Runtime.InteropServices.Architecture.X86 => "386",
            System.Runtime.InteropServices.Architecture.S390x => "s390x",
            System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
            System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
            System.Runtime.InteropServices.Architecture.LoongArch64 => "loong64",
            var other => other.ToString().ToLowerInvariant(),
        },
    }.Normalize();

    /// <summary>
    /// The same platform with os, architecture and variant spelled canonically, as containerd's
    /// <c>platforms.Normalize</c> does; the default variant of a 64-bit architecture is dropped.
    /// </summary>
    public Platform Normalize()
    {
        var os = Os.ToLowerInvariant() is "macos" ? "darwin" : Os.ToLowerInvariant();
        var arch = Architecture.ToLowerInvariant();
        var variant = Variant?.ToLowerInvariant();
        switch (arch)
        {
            case "i386":
                arch = "386";
                variant = null;
                break;
            case "x86_64" or "x86-64" or "amd64":
                arch = "amd64";
                if (variant == "v1")
                    variant = null;
                break;
            case "aarch64" or "arm64":
                arch = "arm64";
                if (variant is "8" or "v8" or "v8.0")
                    variant = null;
                break;
            case "armhf":
                arch = "arm";
                variant = "v7";
                break;
            case "armel":
                arch = "arm";
                variant = "v6";
                break;
            case "arm":
                variant = variant switch
                {
                    null or "" or "7" => "v7",
                    "5" or "6" or "8" => "v" + variant,
                    _ => variant,
                };
                break;
        }
        return this with { Os = os, Architecture = arch, Variant = string.IsNullOrEmpty(variant) ? null : variant };
    }

    /// <summary>True when both name the same os, architecture and variant once normalised.</summary>
    public bool Matches(Platform other)
    {
        var a = Normalize();
        var b = other.Normalize();
        return a.Os == b.Os && a.Architecture == b.Architecture && a.Variant == b.Variant;
    }

    /// <summary><c>os/arch[/variant]</c>, as docker's <c>--platform</c> takes it.</summary>
    public override string ToString() => Variant is { Length: > 0 } ? $"{Os}/{Architecture}/{Variant}" : $"{Os}/{Architecture}";
}
