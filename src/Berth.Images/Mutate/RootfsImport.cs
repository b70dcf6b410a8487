using System.Formats.Tar;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Images.Layers;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Mutate;

/// <summary>
/// <c>import</c>: stores a root filesystem tar (plain, gzip or zstd, told apart by its first bytes;
/// a file or stdin: any readable stream) as the single layer of a new image, with the host's
/// platform unless the change says otherwise.
/// <para>
/// The layer is stored <em>uncompressed</em>, media type <c>application/vnd.oci.image.layer.v1.tar</c>,
/// whatever the input was: its digest is then its DiffID, which is what <c>docker import</c>
/// does too, and a later <c>save</c> writes it unchanged. (Compression is for the wire; a push may
/// compress.) The tar is read through a tar reader while it is stored, so an input that is not a
/// tar, or is truncated, is InvalidArgument and nothing becomes visible; an empty input likewise.
/// </para>
/// </summary>
public sealed class RootfsImport
{
    private readonly IContentStore _store;

    public RootfsImport(IContentStore store)
    {
        _store = store;
    }

    /// <summary>The largest uncompressed rootfs accepted.</summary>
    public long MaxSize { get; init; } = 64L << 30;

    /// <summary>
    /// Stores <paramref name="rootfs"/> and writes the image; returns the manifest descriptor.
    /// <paramref name="change"/> gives the config (see <see cref="ConfigChanges"/>), time,
    /// platform and history text; its <see cref="ImageChange.Layers"/> must be empty.
    /// </summary>
    public async Task<Descriptor> ImportAsync(Stream rootfs, ImageChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rootfs);
        ArgumentNullException.ThrowIfNull(change);
        if (change.Layers.Count > 0)
            throw BerthException.InvalidArgument("import rootfs: the change must not add layers of its own");
        NewLayer layer;
        try
        {
            layer = await StoreLayerAsync(rootfs, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            throw e.Wrap("import rootfs");
        }
        layer = layer with { CreatedBy = change.CreatedBy, Comment = change.Comment ?? "Imported from -" };
        return await new ImageWriter(_store).WriteAsync(null, change with { Layers = [layer] }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores the uncompressed tar, checked entry by entry, and returns it as a layer.</summary>
    internal async Task<NewLayer> StoreLayerAsync(Stream rootfs, CancellationToken cancellationToken)
    {
        var reference = $"import-{Guid.NewGuid():N}";
        var writer = await _store.BeginAsync(reference, cancellationToken: cancellationToken).ConfigureAwait(false);
        var committed = false;
        try
        {
            var (_, decompressed) = await Decompression.OpenAsync(rootfs, cancellationToken).ConfigureAwait(false);
            var digesting = new DigestingStream(decompressed, MaxSize);
            await using (digesting.ConfigureAwait(false))
            {
                var tee = new TeeIngestStream(digesting, writer);
                try
                {
                    await ReadTarAsync(digesting, tee, cancellationToken).ConfigureAwait(false);
                    await tee.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (Decompression.IsCorruption(e))
                {
                    throw BerthException.InvalidArgument($"not a tar archive, or a corrupt or truncated one: {e.Message}");
                }
                if (digesting.Count == 0)
                    throw BerthException.InvalidArgument("the archive is empty");
                var digest = digesting.Finish();
                var size = digesting.Count;
                try
                {
                    await writer.CommitAsync(digest, size, cancellationToken).ConfigureAwait(false);
                }
                catch (BerthException e) when (e.Kind == ErrorKind.AlreadyExists)
                {
                }
                committed = true;
                return new NewLayer(new Descriptor { MediaType = MediaTypes.OciLayer, Digest = digest.ToString(), Size = size }, digest);
            }
        }
        finally
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            if (!committed)
                await AbortQuietlyAsync(reference).ConfigureAwait(false);
        }
    }

    private static async Task ReadTarAsync(DigestingStream digesting, Stream tee, CancellationToken cancellationToken)
    {
        using var reader = new TarReader(tee, leaveOpen: true);
        while (true)
        {
            digesting.StartRecording(); // bounds PAX and long-name headers before the reader allocates them
            var entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
            digesting.StopRecording();
            if (entry is null)
                return;
            if (entry.DataStream is { } data)
                await data.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AbortQuietlyAsync(string reference)
    {
        try
        {
            await _store.AbortAsync(reference).ConfigureAwait(false);
        }
        catch (BerthException)
        {
            // Gone already, or held: the store's check removes what is left.
        }
    }
}
