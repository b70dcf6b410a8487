using System.Formats.Tar;
using System.Text.Json.Nodes;

namespace Berth.IntegrationTests.Build;

/// <summary>
/// What the parity tests compare of one built image: its flattened filesystem and the config
/// fields a Dockerfile sets, each as canonical JSON (objects with sorted keys; absent is
/// <c>null</c>). Read from a docker archive (<c>docker save</c>, <c>buildah push
/// docker-archive:</c>, <c>berth save</c>), whose <c>manifest.json</c> names the config and the
/// layers in order.
/// </summary>
public sealed record ImageSnapshot(string Builder, IReadOnlyList<FsEntry> Files, IReadOnlyDictionary<string, string> Config)
{
    /// <summary>The fields of the image config's <c>config</c> object a Dockerfile instruction sets.</summary>
    public static readonly string[] ConfigFields =
        ["Env", "Cmd", "Entrypoint", "WorkingDir", "User", "ExposedPorts", "Volumes", "Labels", "Healthcheck", "StopSignal", "OnBuild", "Shell"];

    public static ImageSnapshot FromDockerArchive(string builder, string archive)
    {
        var members = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var file = File.OpenRead(archive))
        using (var reader = new TarReader(file))
        {
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (entry.DataStream is null)
                    continue;
                using var copy = new MemoryStream();
                entry.DataStream.CopyTo(copy);
                members[entry.Name.TrimStart('.', '/')] = copy.ToArray();
            }
        }
        var manifest = JsonNode.Parse(Member(members, "manifest.json", archive))!.AsArray();
        if (manifest.Count != 1)
            throw new InvalidDataException($"{archive}: manifest.json lists {manifest.Count} images, want 1");
        var image = manifest[0]!;
        var config = JsonNode.Parse(Member(members, image["Config"]!.GetValue<string>(), archive))!;
        var flattener = new LayerFlattener();
        foreach (var layer in image["Layers"]!.AsArray())
        {
            var name = layer!.GetValue<string>();
            flattener.Apply(Member(members, name, archive), name);
        }
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in ConfigFields)
            fields[field] = Canonical(config["config"]?[field]);
        // MAINTAINER sets the image's author, outside the container config.
        fields["author"] = Canonical(config["author"]);
        return new ImageSnapshot(builder, flattener.List(), fields);
    }

    private static byte[] Member(Dictionary<string, byte[]> members, string name, string archive) =>
        members.TryGetValue(name.TrimStart('.', '/'), out var data) ? data : throw new InvalidDataException($"{archive}: no member `{name}`");

    /// <summary>JSON text with object keys sorted, so that key order never counts as a difference.</summary>
    public static string Canonical(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => JsonValue.Create(p.Key).ToJsonString() + ":" + Canonical(p.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        _ => node.ToJsonString(),
    };
}
