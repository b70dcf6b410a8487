using System.Security.Cryptography;
using System.Text;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Images.Layers;
using Berth.Linux.Files;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Engine.Images;

/// <summary>
/// Unpacked layers, shared by every image and container that uses them, as overlayfs lower
/// directories: <c>layers/CHAINID/diff</c>, where the ChainID (image-spec config.md) names a
/// layer together with everything below it, so two images with the same base share its
/// directories. A layer is unpacked into a temp directory, then renamed into place: a directory
/// under its ChainID is always complete. One process unpacks a given ChainID at a time (flock);
/// a crash leaves only a temp directory, which <see cref="CleanupAsync"/> removes.
/// </summary>
public sealed class LayerStore
{
    private readonly string _root;
    private readonly IBlobReader _blobs;

    public LayerStore(string root, IBlobReader blobs)
    {
        _root = root;
        _blobs = blobs;
        Durable.EnsureDirectory(Path.GetDirectoryName(root)!);
        Durable.EnsureDirectory(root);
    }

    public string Root => _root;

    /// <summary>ChainIDs of an image's layers, bottom first.</summary>
    public static IReadOnlyList<Digest> ChainIds(IReadOnlyList<string> diffIds)
    {
        var chain = new List<Digest>(diffIds.Count);
        foreach (var text in diffIds)
        {
            var diffId = Digest.Parse(text);
            chain.Add(chain.Count == 0 ? diffId : Digest.Of(Encoding.ASCII.GetBytes($"{chain[^1]} {diffId}")));
        }
        return chain;
    }

    public string DiffPath(Digest chainId) => Path.Combine(_root, chainId.Encoded, "diff");

    /// <summary>
    /// Unpacks whatever layers of the image are missing and returns the lower directories, top
    /// first (overlayfs order). A layer whose DiffID does not match its config is InvalidArgument,
    /// and nothing of it is kept.
    /// </summary>
    public async Task<IReadOnlyList<string>> PrepareAsync(ImageInfo image, CancellationToken cancellationToken = default)
    {
        var diffIds = image.Config.RootFs.DiffIds;
        if (diffIds.Count != image.Manifest.Layers.Count)
            throw BerthException.InvalidArgument(
                $"image {image.Id}: {image.Manifest.Layers.Count} layers but {diffIds.Count} diff ids");
        var chain = ChainIds(diffIds);
        for (var i = 0; i < chain.Count; i++)
        {
            if (!Directory.Exists(DiffPath(chain[i])))
                await UnpackAsync(image.Manifest.Layers[i], Digest.Parse(diffIds[i]), chain[i], i == 0 ? null : chain[i - 1], cancellationToken).ConfigureAwait(false);
        }
        return chain.Select(DiffPath).Reverse().ToList();
    }

    private async Task UnpackAsync(Descriptor layer, Digest diffId, Digest chainId, Digest? parent, CancellationToken cancellationToken)
    {
        using var held = await FileLock.AcquireAsync(Path.Combine(_root, chainId.Encoded + ".lock"), cancellationToken).ConfigureAwait(false);
        var final = Path.Combine(_root, chainId.Encoded);
        if (Directory.Exists(final))
            return;
        var temp = Path.Combine(_root, $"tmp-{chainId.Encoded[..12]}-{Environment.ProcessId}");
        if (Directory.Exists(temp))
            Directory.Delete(temp, recursive: true);
        var diff = Path.Combine(temp, "diff");
        Directory.CreateDirectory(diff);
        try
        {
            await using (var blob = await _blobs.OpenReadAsync(Digest.Parse(layer.Digest), cancellationToken).ConfigureAwait(false))
            {
                await LayerApplier.ApplyAsync(blob, diff, LayerOptions.Default with
                {
                    Whiteouts = WhiteoutFormat.Overlay,
                    ExpectedDiffId = diffId,
                }, cancellationToken).ConfigureAwait(false);
            }
            File.WriteAllText(Path.Combine(temp, "parent"), parent?.ToString() ?? "");
            Durable.FsyncDirectory(temp);
            Directory.Move(temp, final);
            Durable.FsyncDirectory(_root);
        }
        catch (BerthException e)
        {
            Directory.Delete(temp, recursive: true);
            throw e.Wrap($"unpack layer {layer.Digest}");
        }
        catch
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    /// <summary>Removes temp directories left by unpacks that died, and unpacked layers no image in <paramref name="keep"/> uses.</summary>
    public Task<long> CleanupAsync(IReadOnlySet<string> keep, CancellationToken cancellationToken = default)
    {
        long removed = 0;
        foreach (var dir in Directory.EnumerateDirectories(_root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(dir);
            if (name.StartsWith("tmp-", StringComparison.Ordinal))
            {
                var pid = name[(name.LastIndexOf('-') + 1)..];
                if (int.TryParse(pid, out var p) && p != Environment.ProcessId && Directory.Exists($"/proc/{p}"))
                    continue;
                Directory.Delete(dir, recursive: true);
                continue;
            }
            if (keep.Contains(name))
                continue;
            var lockPath = dir + ".lock";
            using var held = FileLock.TryAcquire(lockPath);
            if (held is null)
                continue;
            removed += DirectorySize(dir);
            Directory.Delete(dir, recursive: true);
            File.Delete(lockPath);
        }
        return Task.FromResult(removed);
    }

    /// <summary>Bytes under a directory (regular files, counted once per name).</summary>
    public static long DirectorySize(string dir)
    {
        long total = 0;
        try
        {
            foreach (var file in new DirectoryInfo(dir).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
            {
                if ((file.Attributes & FileAttributes.ReparsePoint) == 0)
                    total += file.Length;
            }
        }
        catch (DirectoryNotFoundException)
        {
        }
        return total;
    }
}
