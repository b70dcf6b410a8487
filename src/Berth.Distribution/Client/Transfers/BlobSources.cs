using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Distribution.Client.Transfers;

/// <summary>
/// Which repositories a blob is known to be in (<c>registry/repository</c>, from pulls and
/// pushes), so a push to another repository of the same registry can ask for a cross-repository
/// mount instead of sending the bytes (docker keeps the same in its v2 metadata). Only a hint:
/// a registry that refuses the mount gets the blob uploaded.
/// </summary>
public sealed record BlobSources
{
    /// <summary>At most this many repositories are remembered per blob (the newest).</summary>
    public const int MaxPerBlob = 8;

    [JsonPropertyName("sources")] public Dictionary<string, List<string>> Sources { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Repositories of <paramref name="registry"/> known to hold <paramref name="digest"/>.</summary>
    public IEnumerable<string> In(string registry, string digest) =>
        Sources.GetValueOrDefault(digest)?.Where(s => s.StartsWith(registry + "/", StringComparison.Ordinal)).Select(s => s[(registry.Length + 1)..]) ?? [];

    public static BlobSources Load(string path)
    {
        try
        {
            if (!File.Exists(path) || new FileInfo(path).Length > 16 << 20)
                return new BlobSources();
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), ClientJson.Default.BlobSources) ?? new BlobSources();
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return new BlobSources();
        }
    }

    /// <summary>Adds <c>registry/repository</c> for each digest and writes the file (read again first, temp file and rename).</summary>
    public static void Record(string path, string registry, string repository, IEnumerable<string> digests)
    {
        var current = Load(path);
        var source = registry + "/" + repository;
        foreach (var digest in digests)
        {
            var list = current.Sources.TryGetValue(digest, out var l) ? l : current.Sources[digest] = [];
            list.Remove(source);
            list.Insert(0, source);
            if (list.Count > MaxPerBlob)
                list.RemoveRange(MaxPerBlob, list.Count - MaxPerBlob);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(current, ClientJson.Default.BlobSources));
        File.Move(temp, path, overwrite: true);
    }
}
