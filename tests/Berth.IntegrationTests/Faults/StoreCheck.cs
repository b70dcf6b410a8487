using Berth.Images.Content;
using Berth.Images.Index;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.IntegrationTests.Faults;

/// <summary>
/// What a berth root must look like after any crash: every name in images/index.json points at a
/// manifest whose blobs all exist and verify; no blob has the wrong digest; and (once a later
/// command has run) no leftovers — ingests, layers/tmp-*, containers/.tmp-*.
/// </summary>
public static class StoreCheck
{
    /// <summary>Problems with the image store under ROOT/images; empty when consistent.</summary>
    public static async Task<List<string>> ImageProblemsAsync(string root)
    {
        var problems = new List<string>();
        var images = Path.Combine(root, "images");
        if (!Directory.Exists(images))
            return problems;
        var store = new FileContentStore(images);
        foreach (var record in await new ImageIndex(images).ListAsync())
            await CheckTargetAsync(store, record.Name, record.Target, problems);
        // Every blob, referenced or not, must hash to its name.
        var blobs = Path.Combine(images, "blobs", "sha256");
        if (Directory.Exists(blobs))
        {
            foreach (var file in Directory.EnumerateFiles(blobs))
            {
                var name = Path.GetFileName(file);
                await using var stream = File.OpenRead(file);
                var actual = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream));
                if (actual != name)
                    problems.Add($"blob {name} has digest {actual}");
            }
        }
        return problems;
    }

    private static async Task CheckTargetAsync(FileContentStore store, string name, Descriptor target, List<string> problems)
    {
        var digest = Digest.Parse(target.Digest);
        if (!await Verifies(store, digest, $"{name}: manifest", problems))
            return;
        var bytes = File.ReadAllBytes(store.BlobPath(digest));
        if (target.MediaType is MediaTypes.OciIndex or MediaTypes.DockerManifestList)
        {
            foreach (var child in ImageJson.ParseIndex(bytes).Manifests)
                await CheckTargetAsync(store, name, child, problems);
            return;
        }
        var manifest = ImageJson.ParseManifest(bytes);
        await Verifies(store, Digest.Parse(manifest.Config.Digest), $"{name}: config", problems);
        foreach (var layer in manifest.Layers)
            await Verifies(store, Digest.Parse(layer.Digest), $"{name}: layer", problems);
    }

    private static async Task<bool> Verifies(FileContentStore store, Digest digest, string what, List<string> problems)
    {
        if (!File.Exists(store.BlobPath(digest)))
        {
            problems.Add($"{what} {digest} is missing");
            return false;
        }
        try
        {
            await store.VerifyAsync(digest);
            return true;
        }
        catch (Exception e)
        {
            problems.Add($"{what} {digest} does not verify: {e.Message}");
            return false;
        }
    }

    /// <summary>Leftovers of interrupted commands older than <paramref name="before"/>.</summary>
    public static List<string> Leftovers(string root, DateTime before)
    {
        var found = new List<string>();
        var ingest = Path.Combine(root, "images", "ingest");
        if (Directory.Exists(ingest))
            found.AddRange(Directory.EnumerateFileSystemEntries(ingest).Where(e => File.GetLastWriteTimeUtc(e) < before));
        var layers = Path.Combine(root, "layers");
        if (Directory.Exists(layers))
            found.AddRange(Directory.EnumerateDirectories(layers, "tmp-*"));
        var containers = Path.Combine(root, "containers");
        if (Directory.Exists(containers))
            found.AddRange(Directory.EnumerateDirectories(containers, ".tmp-*"));
        return found;
    }
}
