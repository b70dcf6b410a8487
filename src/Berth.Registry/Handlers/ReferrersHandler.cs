using Berth.Distribution.Errors;
using Berth.Distribution.Routes;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.Registry.Server;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Handlers;

/// <summary>
/// <c>GET /v2/NAME/referrers/DIGEST?artifactType=</c> (end-12a/12b): an image index of the manifests
/// whose subject is DIGEST — empty, not 404, when there are none — filtered by artifact type, in
/// which case <c>OCI-Filters-Applied: artifactType</c> says so.
/// </summary>
internal static class ReferrersHandler
{
    public static Task HandleAsync(RegistryContext registry, HttpContext http, Route route)
    {
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            return Responses.ErrorAsync(http, ErrorCode.Unsupported);
        if (!Digest.TryParse(route.Argument, out var subject))
            return Responses.ErrorAsync(http, ErrorCode.DigestInvalid, $"invalid digest `{route.Argument}`");
        IEnumerable<Descriptor> referrers = registry.Store.Referrers(route.Repository, subject);
        var artifactType = http.Request.Query["artifactType"].ToString();
        if (artifactType.Length > 0)
        {
            referrers = referrers.Where(d => d.ArtifactType == artifactType);
            http.Response.Headers[Headers.FiltersApplied] = "artifactType";
        }
        var index = new Berth.Oci.Image.Index { SchemaVersion = 2, MediaType = MediaTypes.OciIndex, Manifests = referrers.ToList() };
        return Responses.JsonAsync(http, ImageJson.Serialize(index), MediaTypes.OciIndex);
    }
}
