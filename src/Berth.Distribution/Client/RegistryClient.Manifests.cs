using System.Net;
using System.Net.Http.Headers;
using Berth.Distribution.Routes;
using Berth.Errdefs;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Distribution.Client;

public sealed partial class RegistryClient
{
    /// <summary>Every manifest type berth reads, most preferred first.</summary>
    public static readonly string[] ManifestAccept =
    [
        MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.DockerManifest,
    ];

    /// <summary>
    /// GET a manifest by tag or digest. The bytes are read up to 4 MiB (more is refused), hashed,
    /// and checked: against the requested digest when <paramref name="reference"/> is one, and
    /// against <c>Docker-Content-Digest</c> when the registry sent it. Any mismatch is
    /// FailedPrecondition: the registry is not serving what it claims.
    /// </summary>
    public async Task<ManifestContent> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(b =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, b + RouteTable.Build(RouteName.Manifest, repository, reference));
            foreach (var type in ManifestAccept)
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            return request;
        }, [Scope(repository, push: false)], cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
        byte[] bytes;
        try
        {
            bytes = await Bodies.ReadLimitedAsync(response, MaxManifestBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            throw e.Wrap($"read manifest `{repository}:{reference}`");
        }
        var algorithm = Digest.TryParse(reference, out var wanted) ? wanted.Algorithm : "sha256";
        var digest = algorithm == "sha512"
            ? Digest.FromHash("sha512", System.Security.Cryptography.SHA512.HashData(bytes))
            : Digest.Of(bytes);
        if (Digest.TryParse(reference, out var requested) && requested != digest)
            throw BerthException.FailedPrecondition($"read manifest `{repository}@{requested}`: the registry sent content with digest {digest}");
        if (response.Headers.TryGetValues(Headers.ContentDigest, out var values) && values.FirstOrDefault() is { } header
            && Digest.TryParse(header, out var claimed) && claimed.Algorithm == digest.Algorithm && claimed != digest)
        {
            throw BerthException.FailedPrecondition($"read manifest `{repository}:{reference}`: {Headers.ContentDigest} says {claimed}, the content's digest is {digest}");
        }
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (string.IsNullOrEmpty(mediaType) || !(MediaTypes.IsManifest(mediaType) || MediaTypes.IsIndex(mediaType)))
            mediaType = ImageJson.DetectMediaType(bytes) ?? mediaType ?? "";
        if (mediaType is MediaTypes.DockerManifestSchema1 or MediaTypes.DockerManifestSchema1Signed)
            throw new BerthException(ErrorKind.NotImplemented, $"read manifest `{repository}:{reference}`: Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed");
        if (!MediaTypes.IsManifest(mediaType) && !MediaTypes.IsIndex(mediaType))
            throw BerthException.InvalidArgument($"read manifest `{repository}:{reference}`: unsupported media type `{mediaType}`");
        return new ManifestContent(bytes, mediaType, digest);
    }

    /// <summary>HEAD a manifest: its digest when the registry has it, null when not.</summary>
    public async Task<Digest?> HeadManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(b =>
        {
            var request = new HttpRequestMessage(HttpMethod.Head, b + RouteTable.Build(RouteName.Manifest, repository, reference));
            foreach (var type in ManifestAccept)
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            return request;
        }, [Scope(repository, push: false)], cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
        return response.Headers.TryGetValues(Headers.ContentDigest, out var values) && Digest.TryParse(values.FirstOrDefault(), out var d) ? d : null;
    }

    /// <summary>PUT a manifest under a tag or its digest; checks the digest the registry answers with.</summary>
    public async Task PutManifestAsync(string repository, string reference, ManifestContent manifest, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(b =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, b + RouteTable.Build(RouteName.Manifest, repository, reference))
            {
                Content = new ByteArrayContent(manifest.Bytes),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
            return request;
        }, [Scope(repository, push: true)], cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues(Headers.ContentDigest, out var values) && Digest.TryParse(values.FirstOrDefault(), out var answered)
            && answered.Algorithm == manifest.Digest.Algorithm && answered != manifest.Digest)
        {
            throw BerthException.FailedPrecondition($"put manifest `{repository}:{reference}`: the registry stored digest {answered}, not {manifest.Digest}");
        }
    }
}
