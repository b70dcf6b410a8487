using System.Formats.Tar;
using System.IO.Compression;
using Berth.Errdefs;

namespace Berth.Images.Layers;

/// <summary>
/// Unpacks a layer (a tar, plain, gzip or zstd) onto a directory, the way image-spec
/// layer.md describes changesets: entries are added or replaced, whiteouts delete what lower
/// layers put there, or (with <see cref="WhiteoutFormat.Overlay"/>) become overlayfs
/// whiteouts in a directory that will be an overlay lower dir.
/// <para>
/// The archive is untrusted. Nothing is ever created or modified outside the target: names
/// are cleaned and resolved inside it (see <see cref="LayerPath"/>), hard links must point
/// inside it, and the limits in <see cref="LayerOptions"/> bound names, entries and bytes.
/// A corrupt or truncated archive, or a rejected entry, is a <see cref="BerthException"/> of
/// kind InvalidArgument naming the entry; what was applied before it stays applied, so the
/// caller unpacks into a fresh directory and discards it on failure.
/// </para>
/// </summary>
public static class LayerApplier
{
    /// <summary>
    /// Applies <paramref name="layer"/> to <paramref name="targetDir"/> (which must exist) and
    /// returns its DiffID, the sha256 of the uncompressed tar computed while reading it.
    /// </summary>
    public static async Task<LayerApplyResult> ApplyAsync(
        Stream layer, string targetDir, LayerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= LayerOptions.Default;
        if (!Directory.Exists(targetDir) || LayerPath.Lstat(targetDir) != NodeKind.Directory)
        {
            throw BerthException.NotFound($"apply layer to `{targetDir}`: not a directory");
        }

        var (compression, decompressed) = await OpenAsync(layer, cancellationToken).ConfigureAwait(false);
        await using var tar = new DigestingStream(decompressed, options.MaxTotalSize) { MaxMetadataSize = options.MaxHeaderSize };
        var state = new ApplyState(new LayerPath(targetDir), options);
        try
        {
            await ReadEntriesAsync(tar, state, cancellationToken).ConfigureAwait(false);

            // The DiffID covers the whole uncompressed stream, end-of-archive blocks and padding included.
            await tar.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ZstdSharp.ZstdException)
        {
            throw BerthException.InvalidArgument(
                $"apply layer: {state.Where}: corrupt or truncated archive: {Lower(e.Message)}");
        }
        catch (BerthException e)
        {
            throw e.Wrap("apply layer");
        }

        state.FinishDirectories();
        var diffId = tar.Finish();
        if (options.ExpectedDiffId is { } expected && expected != diffId)
        {
            throw BerthException.InvalidArgument($"apply layer: diff id mismatch: expected `{expected}`, got `{diffId}`");
        }

        return new LayerApplyResult(diffId, tar.Count, compression, state.Entries);
    }

    private static async Task ReadEntriesAsync(DigestingStream tar, ApplyState state, CancellationToken ct)
    {
        using var reader = new TarReader(tar, leaveOpen: true);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            tar.StartRecording();
            TarEntry? entry;
            try
            {
                entry = await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false);
            }
            catch (BerthException e)
            {
                throw e.Wrap(state.Where);
            }

            var headers = tar.StopRecording();
            if (entry is null)
            {
                return;
            }

            state.Where = $"entry `{entry.Name}`";
            if (++state.Entries > state.Options.MaxEntries)
            {
                throw BerthException.InvalidArgument($"layer has more than {state.Options.MaxEntries} entries");
            }

            try
            {
                await state.ApplyAsync(entry, headers, ct).ConfigureAwait(false);
                if (entry.DataStream is { } data)
                {
                    // Leave the reader at the next header, so the next recording starts there.
                    await data.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
                }
            }
            catch (BerthException e)
            {
                throw e.Wrap(state.Where);
            }
            catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not EndOfStreamException)
            {
                throw BerthException.Wrap(e, state.Where);
            }

            state.Where = $"entry after `{entry.Name}`";
        }
    }

    private static async Task<(LayerCompression, Stream)> OpenAsync(Stream layer, CancellationToken ct)
    {
        var magic = new byte[4];
        var n = await layer.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        var stream = new PrefixedStream(magic, n, layer);
        if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            return (LayerCompression.Gzip, new GZipStream(stream, CompressionMode.Decompress));
        }

        if (n >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
        {
            return (LayerCompression.Zstd, new ZstdSharp.DecompressionStream(stream));
        }

        return (LayerCompression.None, stream);
    }

    private static string Lower(string s) =>
        s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;
}
