using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Berth.IntegrationTests.Build;

/// <summary>
/// Applies layer tars in order, as an overlay filesystem stacks them, and lists the result.
/// Written here rather than taken from Berth.Images so the comparison does not trust the code
/// it is checking. Whiteouts follow the OCI image spec: <c>.wh.NAME</c> hides NAME of the lower
/// layers and <c>.wh..wh..opq</c> hides everything the lower layers had in its directory; both
/// apply to the lower layers only, so a layer's whiteouts are applied before its own entries.
/// </summary>
internal sealed class LayerFlattener
{
    private const string Opaque = ".wh..wh..opq";
    private const string WhiteoutPrefix = ".wh.";

    private readonly SortedDictionary<string, Node> nodes = new(StringComparer.Ordinal);
    private int nextInode;

    private sealed class Node
    {
        public required string Type { get; init; }
        public int Mode { get; set; }
        public int Uid { get; set; }
        public int Gid { get; set; }
        public long Size { get; init; }
        public string? Sha256 { get; init; }
        public string? LinkTarget { get; init; }
        public string? Device { get; init; }
        public int Inode { get; init; }
    }

    /// <summary>Applies one layer blob (a tar, gzip-compressed or not).</summary>
    public void Apply(byte[] blob, string name)
    {
        var entries = ReadEntries(blob, name);
        // Whiteouts first: they hide what the lower layers had, never this layer's own entries.
        foreach (var (path, _, _) in entries)
        {
            var directory = Parent(path);
            var file = path[(path.LastIndexOf('/') + 1)..];
            if (file == Opaque)
            {
                foreach (var below in nodes.Keys.Where(k => IsUnder(k, directory)).ToList())
                    nodes.Remove(below);
            }
            else if (file.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                RemoveTree(Join(directory, file[WhiteoutPrefix.Length..]));
            }
        }
        foreach (var (path, entry, data) in entries)
        {
            var file = path[(path.LastIndexOf('/') + 1)..];
            if (file.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
                continue;
            Add(path, entry, data, name);
        }
    }

    /// <summary>The flattened filesystem, sorted by path.</summary>
    public IReadOnlyList<FsEntry> List()
    {
        var groups = nodes.Where(n => n.Value.Type == "file")
            .GroupBy(n => n.Value.Inode)
            .Where(g => g.Count() > 1)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(n => n.Key).Order(StringComparer.Ordinal).ToList());
        return nodes.Select(n => new FsEntry(n.Key, n.Value.Type, n.Value.Mode, n.Value.Uid, n.Value.Gid, n.Value.Size,
            n.Value.Sha256, n.Value.LinkTarget, n.Value.Device,
            n.Value.Type == "file" && groups.TryGetValue(n.Value.Inode, out var links) ? links : null)).ToList();
    }

    private void Add(string path, TarEntry entry, byte[]? data, string layer)
    {
        var mode = (int)entry.Mode;
        if (entry.EntryType == TarEntryType.Directory)
        {
            // A directory over a directory merges: only its metadata changes.
            if (nodes.TryGetValue(path, out var existing) && existing.Type == "dir")
            {
                existing.Mode = mode;
                existing.Uid = entry.Uid;
                existing.Gid = entry.Gid;
                return;
            }
            RemoveTree(path);
            nodes[path] = new Node { Type = "dir", Mode = mode, Uid = entry.Uid, Gid = entry.Gid };
            return;
        }
        if (entry.EntryType == TarEntryType.HardLink)
        {
            var target = Normalize(entry.LinkName);
            if (!nodes.TryGetValue(target, out var original) || original.Type != "file")
                throw new InvalidDataException($"layer {layer}: hard link `{path}` to `{target}`, which is not a regular file below it");
            RemoveTree(path);
            nodes[path] = original; // one node, two names: metadata is the inode's
            return;
        }
        RemoveTree(path);
        nodes[path] = entry.EntryType switch
        {
            TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => new Node
            {
                Type = "file", Mode = mode, Uid = entry.Uid, Gid = entry.Gid, Size = data!.Length,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(data)), Inode = ++nextInode,
            },
            TarEntryType.SymbolicLink => new Node { Type = "symlink", Mode = mode, Uid = entry.Uid, Gid = entry.Gid, LinkTarget = entry.LinkName },
            TarEntryType.CharacterDevice or TarEntryType.BlockDevice => new Node
            {
                Type = entry.EntryType == TarEntryType.CharacterDevice ? "char" : "block", Mode = mode, Uid = entry.Uid, Gid = entry.Gid,
                Device = $"{((PosixTarEntry)entry).DeviceMajor},{((PosixTarEntry)entry).DeviceMinor}",
            },
            TarEntryType.Fifo => new Node { Type = "fifo", Mode = mode, Uid = entry.Uid, Gid = entry.Gid },
            _ => throw new InvalidDataException($"layer {layer}: `{path}` has tar type {entry.EntryType}, which an image layer should not hold"),
        };
    }

    private static List<(string Path, TarEntry Entry, byte[]? Data)> ReadEntries(byte[] blob, string name)
    {
        Stream stream = new MemoryStream(blob);
        if (blob is [0x1f, 0x8b, ..])
            stream = new GZipStream(stream, CompressionMode.Decompress);
        else if (blob is [0x28, 0xb5, 0x2f, 0xfd, ..])
            throw new InvalidDataException($"layer {name}: zstd-compressed, which this comparator does not read");
        var entries = new List<(string, TarEntry, byte[]?)>();
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            var path = Normalize(entry.Name);
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                continue;
            byte[]? data = null;
            if (entry.DataStream is { } content)
            {
                using var copy = new MemoryStream();
                content.CopyTo(copy);
                data = copy.ToArray();
            }
            else if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                data = [];
            }
            entries.Add((path, entry, data));
        }
        return entries;
    }

    /// <summary>Layer names are relative (<c>./etc/</c>, <c>etc</c>): make them absolute, without a trailing slash.</summary>
    private static string Normalize(string name)
    {
        var path = name;
        while (path.StartsWith("./", StringComparison.Ordinal))
            path = path[2..];
        path = path.Trim('/');
        return path is "" or "." ? "/" : "/" + path;
    }

    private void RemoveTree(string path)
    {
        nodes.Remove(path);
        foreach (var below in nodes.Keys.Where(k => IsUnder(k, path)).ToList())
            nodes.Remove(below);
    }

    private static bool IsUnder(string path, string directory) =>
        directory == "/" ? path != "/" : path.StartsWith(directory + "/", StringComparison.Ordinal);

    private static string Parent(string path) => path.LastIndexOf('/') is var i and > 0 ? path[..i] : "/";

    private static string Join(string directory, string name) => directory == "/" ? "/" + name : directory + "/" + name;
}
