using System.Text.Json;
using Berth.Oci.Image;
using Berth.Oci.References;

namespace Berth.Engine.Images;

/// <summary>
/// Writes an image as docker's <c>GET /images/{name}/json</c> (and <c>docker image inspect</c>)
/// shows it: Id, RepoTags and RepoDigests in familiar form, the config's config with all of
/// docker's field names (a missing one as docker's zero value), RootFS as the diff ids. No
/// reflection: the writer is driven by hand for NativeAOT.
/// </summary>
public static class ImageInspector
{
    /// <summary>Docker's time for "never tagged here" (Go's zero time).</summary>
    public const string ZeroTime = "0001-01-01T00:00:00Z";

    public static void Write(Utf8JsonWriter w, ImageInfo image) => Write(w, image, layers: null);

    /// <summary>As <see cref="Write(Utf8JsonWriter, ImageInfo)"/>; with a layer store GraphDriver.Data names the unpacked layer directories.</summary>
    public static void Write(Utf8JsonWriter w, ImageInfo image, LayerStore? layers)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(image);
        var config = image.Config;
        w.WriteStartObject();
        w.WriteString("Id", image.Id.ToString());
        w.WriteStartArray("RepoTags");
        foreach (var tag in image.Tags)
            w.WriteStringValue(Familiar(tag));
        w.WriteEndArray();
        w.WriteStartArray("RepoDigests");
        foreach (var digest in image.Digests)
            w.WriteStringValue(Familiar(digest));
        w.WriteEndArray();
        w.WriteString("Parent", "");
        w.WriteString("Comment", ExtraString(config, "comment") ?? LastComment(config) ?? "");
        w.WriteString("Created", config.Created ?? ZeroTime);
        w.WriteString("DockerVersion", ExtraString(config, "docker_version") ?? "");
        w.WriteString("Author", config.Author ?? "");
        w.WritePropertyName("Config");
        WriteConfig(w, config.Config);
        w.WriteString("Architecture", config.Architecture);
        if (!string.IsNullOrEmpty(config.Variant))
            w.WriteString("Variant", config.Variant);
        w.WriteString("Os", config.Os);
        if (!string.IsNullOrEmpty(config.OsVersion))
            w.WriteString("OsVersion", config.OsVersion);
        w.WriteNumber("Size", image.Size);
        w.WriteStartObject("GraphDriver");
        w.WriteStartObject("Data");
        if (layers is not null && config.RootFs.DiffIds.Count > 0)
        {
            var chain = LayerStore.ChainIds(config.RootFs.DiffIds);
            var dirs = chain.Reverse().Select(layers.DiffPath).ToList();
            if (dirs.Count > 1)
                w.WriteString("LowerDir", string.Join(':', dirs.Skip(1)));
            w.WriteString("UpperDir", dirs[0]);
        }
        w.WriteEndObject();
        w.WriteString("Name", "overlay2");
        w.WriteEndObject();
        w.WriteStartObject("RootFS");
        w.WriteString("Type", string.IsNullOrEmpty(config.RootFs.Type) ? "layers" : config.RootFs.Type);
        JsonStrings(w, "Layers", config.RootFs.DiffIds);
        w.WriteEndObject();
        w.WriteStartObject("Metadata");
        w.WriteString("LastTagTime", ZeroTime);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Docker's container.Config as an image's Config: every field, zero values included.</summary>
    public static void WriteConfig(Utf8JsonWriter w, ContainerConfig? c)
    {
        ArgumentNullException.ThrowIfNull(w);
        c ??= new ContainerConfig();
        w.WriteStartObject();
        w.WriteString("Hostname", ExtraString(c, "Hostname") ?? "");
        w.WriteString("Domainname", ExtraString(c, "Domainname") ?? "");
        w.WriteString("User", c.User ?? "");
        w.WriteBoolean("AttachStdin", ExtraBool(c, "AttachStdin"));
        w.WriteBoolean("AttachStdout", ExtraBool(c, "AttachStdout"));
        w.WriteBoolean("AttachStderr", ExtraBool(c, "AttachStderr"));
        if (c.ExposedPorts is { Count: > 0 })
            KeySet(w, "ExposedPorts", c.ExposedPorts);
        w.WriteBoolean("Tty", ExtraBool(c, "Tty"));
        w.WriteBoolean("OpenStdin", ExtraBool(c, "OpenStdin"));
        w.WriteBoolean("StdinOnce", ExtraBool(c, "StdinOnce"));
        JsonStrings(w, "Env", c.Env);
        JsonStrings(w, "Cmd", c.Cmd);
        if (c.Healthcheck is { } health)
            WriteHealthcheck(w, health);
        if (c.ArgsEscaped == true)
            w.WriteBoolean("ArgsEscaped", true);
        w.WriteString("Image", ExtraString(c, "Image") ?? "");
        if (c.Volumes is { Count: > 0 })
            KeySet(w, "Volumes", c.Volumes);
        else
            w.WriteNull("Volumes");
        w.WriteString("WorkingDir", c.WorkingDir ?? "");
        JsonStrings(w, "Entrypoint", c.Entrypoint);
        JsonStrings(w, "OnBuild", c.OnBuild);
        if (c.Labels is null)
        {
            w.WriteNull("Labels");
        }
        else
        {
            w.WriteStartObject("Labels");
            foreach (var (k, v) in c.Labels)
                w.WriteString(k, v);
            w.WriteEndObject();
        }
        if (!string.IsNullOrEmpty(c.StopSignal))
            w.WriteString("StopSignal", c.StopSignal);
        if (c.Shell is not null)
            JsonStrings(w, "Shell", c.Shell);
        w.WriteEndObject();
    }

    /// <summary>A normalized name as docker prints it: <c>docker.io/library/busybox:latest</c> → <c>busybox:latest</c>.</summary>
    public static string Familiar(string name) => Reference.TryParse(name, out var r) ? r.Familiar : name;

    private static void WriteHealthcheck(Utf8JsonWriter w, HealthConfig h)
    {
        w.WriteStartObject("Healthcheck");
        if (h.Test is not null)
            JsonStrings(w, "Test", h.Test);
        if (h.Interval is { } interval)
            w.WriteNumber("Interval", interval);
        if (h.Timeout is { } timeout)
            w.WriteNumber("Timeout", timeout);
        if (h.StartPeriod is { } startPeriod)
            w.WriteNumber("StartPeriod", startPeriod);
        if (h.StartInterval is { } startInterval)
            w.WriteNumber("StartInterval", startInterval);
        if (h.Retries is { } retries)
            w.WriteNumber("Retries", retries);
        w.WriteEndObject();
    }

    private static void JsonStrings(Utf8JsonWriter w, string name, IEnumerable<string>? values)
    {
        if (values is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartArray(name);
        foreach (var v in values)
            w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void KeySet(Utf8JsonWriter w, string name, IEnumerable<string> keys)
    {
        w.WriteStartObject(name);
        foreach (var k in keys)
        {
            w.WriteStartObject(k);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static string? LastComment(ImageConfig config) =>
        config.History is { Count: > 0 } history ? history[^1].Comment : null;

    private static string? ExtraString(ImageConfig config, string name) =>
        config.Extra is { } extra && extra.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? ExtraString(ContainerConfig config, string name) =>
        config.Extra is { } extra && extra.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool ExtraBool(ContainerConfig config, string name) =>
        config.Extra is { } extra && extra.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.True;
}
