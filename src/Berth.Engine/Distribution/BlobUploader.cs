using Berth.Distribution.Client;
using Berth.Distribution.Client.Transfers;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Engine.Distribution;

/// <summary>
/// Moves one blob from the store to a registry, doing as little as it can: nothing when the
/// registry has it (HEAD: "Layer already exists"); a cross-repository mount when the blob is
/// known to be in another repository of the same registry ("Mounted from REPO"); else an upload —
/// one PUT for a small blob, PATCH chunks for a large one. A chunked upload's session is kept on
/// disk after every chunk, so a push that was killed asks the registry how much it holds and
/// sends only the rest.
/// </summary>
internal static class BlobUploader
{
    public static async Task PushAsync(RegistryClient client, Registries registries, string repository, Descriptor descriptor,
        IBlobReader store, ITransferProgress progress, string? id, CancellationToken cancellationToken)
    {
        var digest = Digest.Parse(descriptor.Digest);
        var host = client.Endpoint.Host;
        if (await client.HeadBlobAsync(repository, digest, cancellationToken).ConfigureAwait(false) is not null)
        {
            if (id is not null)
                progress.Layer(id, "Layer already exists");
            return;
        }
        foreach (var from in BlobSources.Load(registries.SourcesPath).In(host, descriptor.Digest).Where(r => r != repository).Take(3))
        {
            var mount = await client.StartUploadAsync(repository, digest, from, cancellationToken).ConfigureAwait(false);
            if (mount.Mounted)
            {
                if (id is not null)
                    progress.Layer(id, $"Mounted from {from}");
                return;
            }
            if (mount.Location is { } unused)
                await client.CancelUploadAsync(repository, unused, cancellationToken).ConfigureAwait(false);
        }

        var size = descriptor.Size;
        if (registries.Uploads.Find(host, repository, descriptor.Digest) is { } session)
        {
            long? held = null;
            try
            {
                held = await client.UploadStatusAsync(repository, session.Location, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind is not ErrorKind.Unauthorized and not ErrorKind.PermissionDenied)
            {
                // The registry does not want this session back (distribution 2.8 refuses a _state its
                // upload has moved past): start over below.
            }
            if (held is { } offset && offset <= size)
            {
                try
                {
                    await SendAsync(client, registries, repository, descriptor, store, progress, id, session.Location, offset, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (BerthException e) when (e.Kind is ErrorKind.InvalidArgument or ErrorKind.NotFound or ErrorKind.FailedPrecondition)
                {
                    // The session broke while resuming (a range the registry does not accept): start over.
                }
            }
            registries.Uploads.Remove(host, repository, descriptor.Digest);
        }
        var start = await client.StartUploadAsync(repository, cancellationToken: cancellationToken).ConfigureAwait(false);
        var location = start.Location ?? throw BerthException.FailedPrecondition($"upload blob `{digest}`: the registry gave no upload location");
        await SendAsync(client, registries, repository, descriptor, store, progress, id, location, 0, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the blob from <paramref name="offset"/> into the session at <paramref name="location"/> and closes it.</summary>
    private static async Task SendAsync(RegistryClient client, Registries registries, string repository, Descriptor descriptor,
        IBlobReader store, ITransferProgress progress, string? id, string location, long offset, CancellationToken cancellationToken)
    {
        var digest = Digest.Parse(descriptor.Digest);
        var host = client.Endpoint.Host;
        var size = descriptor.Size;
        await using var blob = await store.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        if (size <= registries.MonolithicLimit && offset == 0)
        {
            var whole = new byte[size];
            await blob.ReadExactlyAsync(whole, cancellationToken).ConfigureAwait(false);
            if (id is not null)
                progress.Layer(id, "Pushing", 0, size);
            await client.CompleteUploadAsync(repository, location, digest, () => new ByteArrayContent(whole), size, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var buffer = new byte[Math.Min(registries.ChunkSize, Math.Max(size - offset, 1))];
            blob.Position = offset;
            while (offset < size)
            {
                var length = (int)Math.Min(buffer.Length, size - offset);
                await blob.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                if (id is not null)
                    progress.Layer(id, "Pushing", offset, size);
                (location, offset) = await client.PatchAsync(repository, location, () => new ByteArrayContent(buffer, 0, length), offset, length, cancellationToken)
                    .ConfigureAwait(false);
                registries.Uploads.Save(new UploadSession(host, repository, descriptor.Digest, location));
            }
            if (id is not null)
                progress.Layer(id, "Pushing", size, size);
            await client.CompleteUploadAsync(repository, location, digest, null, 0, cancellationToken).ConfigureAwait(false);
        }
        registries.Uploads.Remove(host, repository, descriptor.Digest);
        if (id is not null)
            progress.Layer(id, "Pushed");
    }
}
