using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Errdefs;

namespace Berth.Images.Archive;

/// <summary>One element of a <c>docker save</c> archive's <c>manifest.json</c>; paths are inside the archive.</summary>
internal sealed record DockerManifestEntry
{
    [JsonPropertyName("Config")]
    public string Config { get; init; } = "";

    [JsonPropertyName("RepoTags")]
    public IReadOnlyList<string>? RepoTags { get; init; }

    [JsonPropertyName("Layers")]
    public IReadOnlyList<string> Layers { get; init; } = [];
}

/// <summary>Source-generated JSON for the docker archive's own files (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(List<DockerManifestEntry>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
internal sealed partial class ArchiveJsonContext : JsonSerializerContext
{
    public static List<DockerManifestEntry> ParseManifest(byte[] json)
    {
        try
        {
            var entries = JsonSerializer.Deserialize(json, Default.ListDockerManifestEntry)
                ?? throw BerthException.InvalidArgument("parse `manifest.json`: the document is null");
            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i] is null || string.IsNullOrEmpty(entries[i].Config))
                    throw BerthException.InvalidArgument($"parse `manifest.json`: field `$[{i}].Config`: the field is missing");
                if (entries[i].Layers is null)
                    throw BerthException.InvalidArgument($"parse `manifest.json`: field `$[{i}].Layers`: the field is missing");
            }
            return entries;
        }
        catch (JsonException e)
        {
            throw BerthException.Wrap(e, "parse `manifest.json`");
        }
    }
}
