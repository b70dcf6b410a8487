using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace Berth.IntegrationTests.Build;

/// <summary>
/// One image as <c>berth save</c> writes it, read back through docker's <c>manifest.json</c>
/// (which the OCI layout beside it mirrors): the config document and, per layer, every entry's
/// name and times. Read independently of Berth's own code, so a test of what the build wrote
/// does not trust the writer's reader.
/// </summary>
public sealed class ReproducibleArchive
{
    /// <summary>One entry of a layer tar: its name and each other time its header carries (PAX mtime/atime/ctime, GNU atime/ctime), in seconds as written.</summary>
    public sealed record Entry(string Name, DateTimeOffset Modified, IReadOnlyDictionary<string, string> PaxTimes);

    private ReproducibleArchive(JsonDocument config, IReadOnlyList<IReadOnlyList<Entry>> layers)
    {
        Config = config;
        Layers = layers;
    }

    public JsonDocument Config { get; }

    /// <summary>The layers, bottom first, each as its entries in tar order.</summary>
    public IReadOnlyList<IReadOnlyList<Entry>> Layers { get; }

    /// <summary>The config's top-level <c>created</c>, as written.</summary>
    public string Created => Config.RootElement.GetProperty("created").GetString() ?? "";

    /// <summary>Each history entry's <c>created</c>, as written (empty when absent), bottom first.</summary>
    public IReadOnlyList<string> HistoryCreated =>
        Config.RootElement.TryGetProperty("history", out var history)
            ? history.EnumerateArray().Select(h => h.TryGetProperty("created", out var c) ? c.GetString() ?? "" : "").ToList()
            : [];

    /// <summary>Reads the single image of a <c>berth save</c> archive.</summary>
    public static ReproducibleArchive Read(string path)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var stream = File.OpenRead(path))
        using (var tar = new TarReader(stream))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    continue;
                using var data = new MemoryStream();
                entry.DataStream.CopyTo(data);
                files[Normalise(entry.Name)] = data.ToArray();
            }
        }
        Assert.True(files.TryGetValue("manifest.json", out var manifestBytes), $"{path}: no manifest.json (entries: {string.Join(", ", files.Keys)})");
        using var manifest = JsonDocument.Parse(manifestBytes);
        var images = manifest.RootElement.EnumerateArray().ToList();
        Assert.True(images.Count == 1, $"{path}: manifest.json lists {images.Count} images, want 1");
        var configPath = Normalise(images[0].GetProperty("Config").GetString()!);
        var config = JsonDocument.Parse(files[configPath]);
        var layers = images[0].GetProperty("Layers").EnumerateArray()
            .Select(l => (IReadOnlyList<Entry>)ReadLayer(files[Normalise(l.GetString()!)]))
            .ToList();
        return new ReproducibleArchive(config, layers);
    }

    private static List<Entry> ReadLayer(byte[] blob)
    {
        Stream stream = new MemoryStream(blob);
        if (blob.Length >= 2 && blob[0] == 0x1f && blob[1] == 0x8b)
            stream = new GZipStream(stream, CompressionMode.Decompress);
        var entries = new List<Entry>();
        using (stream)
        using (var tar = new TarReader(stream))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                var pax = entry switch
                {
                    PaxTarEntry p => p.ExtendedAttributes.Where(a => a.Key is "mtime" or "atime" or "ctime").ToDictionary(a => a.Key, a => a.Value),
                    // GNU headers carry atime and ctime in fields of their own (zero when unused).
                    GnuTarEntry g => new Dictionary<string, string>
                    {
                        ["atime"] = g.AccessTime.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["ctime"] = g.ChangeTime.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    },
                    _ => new Dictionary<string, string>(),
                };
                entries.Add(new Entry(entry.Name, entry.ModificationTime, pax));
            }
        }
        return entries;
    }

    private static string Normalise(string name) => name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;
}
