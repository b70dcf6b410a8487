using Berth.Distribution.Errors;
using Berth.Distribution.Routes;
using Berth.Errdefs;
using Berth.Oci;
using Berth.Oci.References;
using Berth.Registry.Server;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Handlers;

/// <summary>
/// Blob uploads. <c>POST /v2/NAME/blobs/uploads/</c> starts one (202), pushes a blob whole with
/// <c>?digest=</c> (201), or mounts one from another repository with <c>?mount=&amp;from=</c> (201,
/// or 202 and a fresh upload when the source does not have it). <c>/v2/NAME/blobs/uploads/ID</c>:
/// PATCH appends a chunk (Content-Range must continue where the upload is, else 416), GET tells how
/// far it got (204 with Range), PUT <c>?digest=</c> ends it (201 once the content matches), DELETE
/// cancels it.
/// </summary>
internal static class UploadsHandler
{
    public static async Task StartAsync(RegistryContext registry, HttpContext http, Route route)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            await Responses.ErrorAsync(http, ErrorCode.Unsupported);
            return;
        }
        var store = registry.Store;
        var repository = route.Repository;
        var query = http.Request.Query;
        var mount = query["mount"].ToString();
        if (mount.Length > 0)
        {
            var from = query["from"].ToString();
            if (Digest.TryParse(mount, out var mounted) && Reference.IsValidPath(from) &&
                await store.MountAsync(repository, from, mounted, http.RequestAborted))
            {
                Created(http, repository, mounted);
                return;
            }
            // Not mountable: the spec says to answer as to a plain POST, with a new upload.
        }
        var digestText = query["digest"].ToString();
        if (digestText.Length > 0)
        {
            if (!Digest.TryParse(digestText, out var digest))
            {
                await Responses.ErrorAsync(http, ErrorCode.DigestInvalid, $"invalid digest `{digestText}`");
                return;
            }
            var id = store.StartUpload(repository);
            await CompleteAsync(registry, http, repository, id, digest, http.Request.Body);
            return;
        }
        var upload = store.StartUpload(repository);
        Responses.UploadHeaders(http, repository, upload, 0);
        http.Response.Headers[Headers.ChunkMinLength] = "0";
        await Responses.EmptyAsync(http, 202);
    }

    public static async Task HandleAsync(RegistryContext registry, HttpContext http, Route route)
    {
        var store = registry.Store;
        var repository = route.Repository;
        var id = route.Argument!;
        var size = store.UploadSize(repository, id);
        if (size is null)
        {
            await Responses.ErrorAsync(http, ErrorCode.BlobUploadUnknown);
            return;
        }
        var method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            Responses.UploadHeaders(http, repository, id, size.Value);
            await Responses.EmptyAsync(http, 204);
        }
        else if (HttpMethods.IsPatch(method))
        {
            await PatchAsync(registry, http, repository, id);
        }
        else if (HttpMethods.IsPut(method))
        {
            var digestText = http.Request.Query["digest"].ToString();
            if (!Digest.TryParse(digestText, out var digest))
            {
                await Responses.ErrorAsync(http, ErrorCode.DigestInvalid, $"invalid digest `{digestText}`");
                return;
            }
            await CompleteAsync(registry, http, repository, id, digest, HasBody(http.Request) ? http.Request.Body : null);
        }
        else if (HttpMethods.IsDelete(method))
        {
            store.CancelUpload(repository, id);
            await Responses.EmptyAsync(http, 204);
        }
        else
        {
            await Responses.ErrorAsync(http, ErrorCode.Unsupported);
        }
    }

    private static async Task PatchAsync(RegistryContext registry, HttpContext http, string repository, string id)
    {
        long? start = null, length = null;
        var contentRange = http.Request.Headers.ContentRange.ToString();
        if (contentRange.Length > 0)
        {
            if (!ByteRange.TryParseContentRange(contentRange, out var first, out var last))
            {
                await RangeInvalidAsync(registry, http, repository, id, $"invalid Content-Range `{contentRange}`");
                return;
            }
            (start, length) = (first, last - first + 1);
        }
        try
        {
            var size = await registry.Store.AppendAsync(repository, id, http.Request.Body, start, length, http.RequestAborted);
            Responses.UploadHeaders(http, repository, id, size);
            await Responses.EmptyAsync(http, 202);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Conflict)
        {
            await RangeInvalidAsync(registry, http, repository, id, e.Message);
        }
    }

    private static Task RangeInvalidAsync(RegistryContext registry, HttpContext http, string repository, string id, string message)
    {
        Responses.UploadHeaders(http, repository, id, registry.Store.UploadSize(repository, id) ?? 0);
        return Responses.ErrorAsync(http, ErrorCode.RangeInvalid, message);
    }

    private static async Task CompleteAsync(RegistryContext registry, HttpContext http, string repository, string id, Digest digest, Stream? body)
    {
        try
        {
            await registry.Store.CompleteAsync(repository, id, digest, body, http.RequestAborted);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.InvalidArgument)
        {
            await Responses.ErrorAsync(http, ErrorCode.DigestInvalid, e.Message);
            return;
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            await Responses.ErrorAsync(http, ErrorCode.BlobUploadUnknown, e.Message);
            return;
        }
        Created(http, repository, digest);
    }

    private static void Created(HttpContext http, string repository, Digest digest)
    {
        http.Response.Headers[Headers.Location] = RouteTable.Build(RouteName.Blob, repository, digest.ToString());
        http.Response.Headers[Headers.ContentDigest] = digest.ToString();
        http.Response.StatusCode = 201;
        http.Response.ContentLength = 0;
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.ContentLength is null && request.Headers.TransferEncoding.Count > 0;
}
