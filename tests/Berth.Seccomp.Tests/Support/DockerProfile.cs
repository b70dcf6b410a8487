using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Seccomp.Tests.Support;

/// <summary>
/// Turns a docker/podman seccomp profile (the format of /usr/share/containers/seccomp.json,
/// with archMap, includes and excludes) into the runtime spec's <c>linux.seccomp</c>, the way
/// the engines do for one architecture and one capability set.
/// </summary>
public static class DockerProfile
{
    public static LinuxSeccomp Convert(string json, string goArch, string nativeScmpArch, IReadOnlySet<string> caps)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var arches = new List<string>();
        if (root.TryGetProperty("archMap", out var archMap) && archMap.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in archMap.EnumerateArray())
            {
                if (entry.GetProperty("architecture").GetString() == nativeScmpArch)
                {
                    arches.Add(nativeScmpArch);
                    arches.AddRange(Strings(entry, "subArchitectures"));
                }
            }
        }

        var syscalls = new List<LinuxSyscall>();
        foreach (var call in root.GetProperty("syscalls").EnumerateArray())
        {
            if (!Applies(call, "includes", goArch, caps, whenListed: true) || !Applies(call, "excludes", goArch, caps, whenListed: false))
            {
                continue;
            }

            var names = Strings(call, "names").ToList();
            if (call.TryGetProperty("name", out var name))
            {
                names.Add(name.GetString()!);
            }

            syscalls.Add(new LinuxSyscall
            {
                Names = names,
                Action = call.GetProperty("action").GetString()!,
                ErrnoRet = call.TryGetProperty("errnoRet", out var errno) ? errno.GetUInt32() : null,
                Args = call.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Array
                    ? args.EnumerateArray().Select(a => new LinuxSeccompArg
                    {
                        Index = a.GetProperty("index").GetUInt32(),
                        Value = a.GetProperty("value").GetUInt64(),
                        ValueTwo = a.TryGetProperty("valueTwo", out var two) ? two.GetUInt64() : 0,
                        Op = a.GetProperty("op").GetString()!,
                    }).ToList()
                    : null,
            });
        }

        return new LinuxSeccomp
        {
            DefaultAction = root.GetProperty("defaultAction").GetString()!,
            DefaultErrnoRet = root.TryGetProperty("defaultErrnoRet", out var d) ? d.GetUInt32() : null,
            Architectures = arches,
            Syscalls = syscalls,
        };
    }

    /// <summary>
    /// includes: every listed arch/cap condition must hold; excludes: none may. (minKernel is
    /// treated as satisfied: the machine's kernel is new.)
    /// </summary>
    private static bool Applies(JsonElement call, string key, string goArch, IReadOnlySet<string> caps, bool whenListed)
    {
        if (!call.TryGetProperty(key, out var filter) || filter.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        var arches = Strings(filter, "arches").ToList();
        var needed = Strings(filter, "caps").ToList();
        if (whenListed)
        {
            return (arches.Count == 0 || arches.Contains(goArch)) && needed.All(caps.Contains);
        }

        return !arches.Contains(goArch) && !needed.Any(caps.Contains);
    }

    private static IEnumerable<string> Strings(JsonElement element, string key) =>
        element.TryGetProperty(key, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.GetString()!).ToList()
            : [];
}
