using Berth.Distribution.Errors;
using Berth.Distribution.Routes;
using Berth.Errdefs;
using Berth.Oci.References;
using Berth.Registry.Auth;
using Berth.Registry.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Registry.Server;

/// <summary>
/// The one entry point for every request: match the raw request target against the shared
/// <see cref="RouteTable"/> (Kestrel's normalised path has already resolved <c>..</c>, which would let
/// <c>/v2/a/../b</c> pass as <c>b</c>), refuse an invalid repository name with NAME_INVALID, check
/// access, call the resource's handler, and turn an unexpected <see cref="BerthException"/> into the
/// registry error code its kind means for that resource.
/// </summary>
internal static class Dispatcher
{
    public const string TokenPath = "/token";

    public static async Task HandleAsync(RegistryContext registry, HttpContext http)
    {
        http.Response.Headers[Headers.ApiVersion] = Headers.ApiVersionValue;
        var path = RawPath(http);
        if (path is null)
        {
            await Responses.ErrorAsync(http, ErrorCode.NameInvalid, "invalid request path");
            return;
        }
        if (!RouteTable.TryMatch(path, out var route))
        {
            if (path == TokenPath && registry.Tokens is { } tokens)
            {
                await tokens.HandleAsync(http);
                return;
            }
            http.Response.StatusCode = 404;
            return;
        }
        if (route.Repository.Length > 0 && !Reference.IsValidPath(route.Repository))
        {
            await Responses.ErrorAsync(http, ErrorCode.NameInvalid, $"invalid repository name `{route.Repository}`");
            return;
        }
        var auth = registry.Authenticator.Check(http.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, Needed(http, route));
        if (!auth.Allowed)
        {
            http.Response.Headers[Headers.WwwAuthenticate] = auth.Challenge;
            await Responses.ErrorAsync(http, ErrorCode.Unauthorized, auth.Message);
            return;
        }
        try
        {
            await (route.Name switch
            {
                RouteName.Base => BaseHandler.HandleAsync(http),
                RouteName.Catalog => CatalogHandler.HandleAsync(registry, http),
                RouteName.Tags => TagsHandler.HandleAsync(registry, http, route),
                RouteName.Manifest => ManifestsHandler.HandleAsync(registry, http, route),
                RouteName.Blob => BlobsHandler.HandleAsync(registry, http, route),
                RouteName.BlobUploads => UploadsHandler.StartAsync(registry, http, route),
                RouteName.BlobUpload => UploadsHandler.HandleAsync(registry, http, route),
                RouteName.Referrers => ReferrersHandler.HandleAsync(registry, http, route),
                _ => Responses.ErrorAsync(http, ErrorCode.Unsupported),
            });
        }
        catch (BerthException e) when (!http.Response.HasStarted)
        {
            await Responses.ErrorAsync(http, CodeFor(route.Name, e.Kind), e.Message);
        }
    }

    /// <summary>
    /// The path of the raw request target, percent-decoded (valid names, tags and digests need no
    /// escaping, so decoding first only lets the name check see what a client really sent). Null
    /// when it is not an origin-form path or is longer than any valid one.
    /// </summary>
    internal static string? RawPath(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "";
        var question = raw.IndexOf('?');
        if (question >= 0)
            raw = raw[..question];
        if (raw.Length == 0 || raw[0] != '/' || raw.Length > 2048)
            return null;
        return raw.Contains('%') ? Uri.UnescapeDataString(raw) : raw;
    }

    /// <summary>What a request needs: pull for reads, push for writes, and pull on the source of a mount.</summary>
    internal static IReadOnlyList<Access> Needed(HttpContext http, Route route)
    {
        if (route.Name is RouteName.Base or RouteName.Catalog)
            return [Access.Registry];
        var method = http.Request.Method;
        var read = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        var own = new Access(route.Repository, read ? Access.Pull : Access.Push);
        if (route.Name == RouteName.BlobUploads && http.Request.Query["from"].ToString() is { Length: > 0 } from && Reference.IsValidPath(from))
            return [own, new Access(from, Access.Pull)];
        return [own];
    }

    /// <summary>The error code a kind means for a resource (the edge's one mapping).</summary>
    internal static ErrorCode CodeFor(RouteName route, ErrorKind kind) => (route, kind) switch
    {
        (RouteName.Blob, ErrorKind.NotFound) => ErrorCode.BlobUnknown,
        (RouteName.Blob, ErrorKind.InvalidArgument) => ErrorCode.DigestInvalid,
        (RouteName.BlobUpload or RouteName.BlobUploads, ErrorKind.NotFound) => ErrorCode.BlobUploadUnknown,
        (RouteName.BlobUpload or RouteName.BlobUploads, ErrorKind.InvalidArgument) => ErrorCode.BlobUploadInvalid,
        (RouteName.Manifest, ErrorKind.NotFound) => ErrorCode.ManifestUnknown,
        (RouteName.Manifest, ErrorKind.InvalidArgument) => ErrorCode.ManifestInvalid,
        (_, ErrorKind.NotFound) => ErrorCode.NameUnknown,
        (_, ErrorKind.Unauthorized) => ErrorCode.Unauthorized,
        (_, ErrorKind.PermissionDenied) => ErrorCode.Denied,
        (_, ErrorKind.Unavailable) => ErrorCode.Unavailable,
        _ => ErrorCode.Unknown,
    };
}
