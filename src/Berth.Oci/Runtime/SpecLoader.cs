using System.Text.Json;
using Berth.Errdefs;

namespace Berth.Oci.Runtime;

/// <summary>Reads and checks a bundle's <c>config.json</c>.</summary>
public static class SpecLoader
{
    /// <summary>The largest config.json accepted; real ones are a few KiB.</summary>
    public const int MaxConfigBytes = 16 << 20;

    /// <summary>
    /// Loads <c>BUNDLE/config.json</c>. Throws NotFound when it is missing, InvalidArgument
    /// (with the JSON path of the bad field) when it does not parse, and InvalidArgument when
    /// its version is unsupported or a required field is missing.
    /// </summary>
    public static Spec Load(string bundle)
    {
        var path = Path.Combine(bundle, "config.json");
        byte[] bytes;
        try
        {
            using var stream = File.OpenRead(path);
            if (stream.Length > MaxConfigBytes)
                throw BerthException.InvalidArgument($"{stream.Length} bytes is larger than the limit of {MaxConfigBytes}");
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e)
        {
            throw BerthException.Wrap(e, $"read `{path}`");
        }
        return Parse(bytes, path);
    }

    public static Spec Parse(ReadOnlySpan<byte> json, string name = "config.json")
    {
        Spec? spec;
        try
        {
            spec = JsonSerializer.Deserialize(json, RuntimeJsonContext.Default.Spec);
        }
        catch (JsonException e)
        {
            throw BerthException.Wrap(e, $"parse `{name}`");
        }
        if (spec is null)
            throw BerthException.InvalidArgument($"parse `{name}`: the document is null");
        try
        {
            Validate(spec);
        }
        catch (BerthException e)
        {
            throw e.Wrap($"validate `{name}`");
        }
        return spec;
    }

    /// <summary>Checks what the spec requires of any config before a runtime acts on it.</summary>
    public static void Validate(Spec spec)
    {
        SpecVersion.Check(spec.OciVersion);
        if (spec.Root is null || string.IsNullOrEmpty(spec.Root.Path))
            throw BerthException.InvalidArgument("root.path is missing");
        if (spec.Process is { } process)
        {
            if (process.Args is null || process.Args.Count == 0)
                throw BerthException.InvalidArgument("process.args must not be empty");
            if (!process.Cwd.StartsWith('/'))
                throw BerthException.InvalidArgument($"process.cwd `{process.Cwd}` is not an absolute path");
        }
        foreach (var mount in spec.Mounts ?? [])
        {
            if (string.IsNullOrEmpty(mount.Destination))
                throw BerthException.InvalidArgument("a mount has no destination");
        }
        foreach (var ns in spec.Linux?.Namespaces ?? [])
        {
            if (!NamespaceType.IsKnown(ns.Type))
                throw BerthException.InvalidArgument($"namespace type `{ns.Type}` is unknown");
        }
        var seen = new HashSet<string>();
        foreach (var ns in spec.Linux?.Namespaces ?? [])
        {
            if (!seen.Add(ns.Type))
                throw BerthException.InvalidArgument($"namespace `{ns.Type}` is given more than once");
        }
    }
}
