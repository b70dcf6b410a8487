using Berth.Distribution.Errors;
using Berth.Distribution.Routes;
using Berth.Errdefs;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.Oci.References;
using Berth.Registry.Server;
using Berth.Registry.Storage;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Handlers;

/// <summary>
/// <c>/v2/NAME/manifests/REFERENCE</c>, a tag or a digest: GET/HEAD (end-3) serve the bytes exactly
/// as pushed, with the media type they were pushed with; PUT (end-7) stores OCI and Docker schema-2
/// manifests and indexes once they parse, fit in 4 MiB and reference only blobs and manifests the
/// repository has; DELETE (end-9) by digest removes the manifest, by tag only that tag.
/// </summary>
internal static class ManifestsHandler
{
    public static Task HandleAsync(RegistryContext registry, HttpContext http, Route route)
    {
        var method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
            return GetAsync(registry, http, route, HttpMethods.IsHead(method));
        if (HttpMethods.IsPut(method))
            return PutAsync(registry, http, route);
        if (HttpMethods.IsDelete(method))
            return DeleteAsync(registry, http, route);
        return Responses.ErrorAsync(http, ErrorCode.Unsupported);
    }

    private static RegistryStore.ManifestRecord? Find(RegistryStore store, string repository, string reference)
    {
        if (Digest.TryParse(reference, out var digest))
            return store.StatManifest(repository, digest);
        return Reference.IsValidTag(reference) && store.ResolveTag(repository, reference) is { } tagged ? store.StatManifest(repository, tagged) : null;
    }

    private static async Task GetAsync(RegistryContext registry, HttpContext http, Route route, bool head)
    {
        var manifest = Find(registry.Store, route.Repository, route.Argument!);
        var bytes = manifest is null || head ? null : registry.Store.ReadManifest(manifest);
        if (manifest is null || !head && bytes is null)
        {
            await Responses.ErrorAsync(http, ErrorCode.ManifestUnknown, $"manifest `{route.Argument}` not known to repository `{route.Repository}`");
            return;
        }
        var response = http.Response;
        response.StatusCode = 200;
        response.ContentType = manifest.MediaType;
        response.ContentLength = bytes?.Length ?? manifest.Size;
        response.Headers[Headers.ContentDigest] = manifest.Digest.ToString();
        response.Headers.ETag = "\"" + manifest.Digest + "\"";
        if (bytes is not null)
            await response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    private static async Task PutAsync(RegistryContext registry, HttpContext http, Route route)
    {
        var reference = route.Argument!;
        var byDigest = Digest.TryParse(reference, out var named);
        if (!byDigest && !Reference.IsValidTag(reference))
        {
            await Responses.ErrorAsync(http, ErrorCode.TagInvalid, $"invalid tag `{reference}`");
            return;
        }
        var limit = registry.Options.MaxManifestBytes;
        if (http.Request.ContentLength > limit)
        {
            await Responses.ErrorAsync(http, ErrorCode.ManifestInvalid, $"manifest is {http.Request.ContentLength} bytes, over the limit of {limit}");
            return;
        }
        var bytes = await ReadLimitedAsync(http.Request.Body, limit, http.RequestAborted);
        if (bytes is null)
        {
            await Responses.ErrorAsync(http, ErrorCode.ManifestInvalid, $"manifest is over the limit of {limit} bytes");
            return;
        }
        var digest = byDigest ? Digest.FromHash(named.Algorithm, Hash(named.Algorithm, bytes)) : Digest.Of(bytes);
        if (byDigest && digest != named)
        {
            await Responses.ErrorAsync(http, ErrorCode.DigestInvalid, $"manifest has digest `{digest}`, not `{named}`");
            return;
        }
        string mediaType;
        List<Digest> blobs = [], children = [];
        Digest? subject;
        try
        {
            mediaType = MediaTypeOf(http.Request.ContentType, bytes);
            subject = References(mediaType, bytes, blobs, children);
        }
        catch (BerthException e)
        {
            await Responses.ErrorAsync(http, ErrorCode.ManifestInvalid, e.Message);
            return;
        }
        try
        {
            await registry.Store.PutManifestAsync(route.Repository, byDigest ? null : reference, digest, mediaType, bytes, blobs, children, subject, http.RequestAborted);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            await Responses.ErrorAsync(http, ErrorCode.ManifestBlobUnknown, e.Message);
            return;
        }
        var headers = http.Response.Headers;
        headers[Headers.Location] = RouteTable.Build(RouteName.Manifest, route.Repository, digest.ToString());
        headers[Headers.ContentDigest] = digest.ToString();
        if (subject is { } s)
            headers[Headers.Subject] = s.ToString();
        await Responses.EmptyAsync(http, 201);
    }

    /// <summary>
    /// The media type to store: the Content-Type sent, else the document's own <c>mediaType</c>, else
    /// what its shape implies. When the document declares one, it must agree with the Content-Type.
    /// </summary>
    private static string MediaTypeOf(string? contentType, byte[] bytes)
    {
        var detected = ImageJson.DetectMediaType(bytes);
        var declared = DeclaredMediaType(bytes);
        var sent = MediaTypes.Essence(contentType);
        var mediaType = sent.Length > 0 && sent != "application/octet-stream" ? sent : MediaTypes.Essence(detected);
        if (!MediaTypes.IsManifest(mediaType) && !MediaTypes.IsIndex(mediaType))
            throw BerthException.InvalidArgument($"media type `{mediaType}` is not a manifest or index this registry stores");
        if (declared is not null && MediaTypes.Essence(declared) != mediaType)
            throw BerthException.InvalidArgument($"Content-Type `{mediaType}` does not match the manifest's mediaType `{declared}`");
        return mediaType;
    }

    /// <summary>The top-level <c>mediaType</c> field, or null when the document has none.</summary>
    private static string? DeclaredMediaType(byte[] bytes)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                var isMediaType = reader.ValueTextEquals("mediaType"u8);
                reader.Read();
                if (isMediaType && reader.TokenType == System.Text.Json.JsonTokenType.String)
                    return reader.GetString();
                reader.Skip();
            }
            return null;
        }
        catch (System.Text.Json.JsonException e)
        {
            throw BerthException.Wrap(e, "parse manifest");
        }
    }

    /// <summary>Parses the manifest and collects what must exist before it is stored; returns its subject.</summary>
    private static Digest? References(string mediaType, byte[] bytes, List<Digest> blobs, List<Digest> children)
    {
        Descriptor? subject;
        if (MediaTypes.IsIndex(mediaType))
        {
            var index = ImageJson.ParseIndex(bytes);
            foreach (var child in index.Manifests)
                children.Add(Digest.Parse(child.Digest));
            subject = index.Subject;
        }
        else
        {
            var manifest = ImageJson.ParseManifest(bytes);
            blobs.Add(Digest.Parse(manifest.Config.Digest));
            foreach (var layer in manifest.Layers)
            {
                // Foreign and nondistributable layers are fetched from their URLs, never pushed.
                if (layer.Urls is { Count: > 0 } && MediaTypes.IsNondistributable(layer.MediaType))
                    continue;
                blobs.Add(Digest.Parse(layer.Digest));
            }
            subject = manifest.Subject;
        }
        return subject is null ? null : Digest.Parse(subject.Digest);
    }

    private static async Task DeleteAsync(RegistryContext registry, HttpContext http, Route route)
    {
        var reference = route.Argument!;
        var deleted = Digest.TryParse(reference, out var digest)
            ? registry.Store.DeleteManifest(route.Repository, digest)
            : Reference.IsValidTag(reference) && registry.Store.DeleteTag(route.Repository, reference);
        if (!deleted)
        {
            await Responses.ErrorAsync(http, ErrorCode.ManifestUnknown, $"manifest `{reference}` not known to repository `{route.Repository}`");
            return;
        }
        await Responses.EmptyAsync(http, 202);
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int n;
        while ((n = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + n > limit)
                return null;
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static byte[] Hash(string algorithm, byte[] bytes) =>
        algorithm == "sha512" ? System.Security.Cryptography.SHA512.HashData(bytes) : System.Security.Cryptography.SHA256.HashData(bytes);
}
