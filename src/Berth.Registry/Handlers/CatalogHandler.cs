using System.Text.Json;
using Berth.Distribution;
using Berth.Distribution.Errors;
using Berth.Distribution.Routes;
using Berth.Registry.Server;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Handlers;

/// <summary><c>GET /v2/_catalog?n=&amp;last=</c>: the repositories, sorted, paginated.</summary>
internal static class CatalogHandler
{
    public static Task HandleAsync(RegistryContext registry, HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
            return Responses.ErrorAsync(http, ErrorCode.Unsupported);
        if (!Pagination.TryReadN(http.Request, out var n))
            return Responses.ErrorAsync(http, ErrorCode.PaginationNumberInvalid);
        var page = Pagination.Page(registry.Store.Repositories(), http.Request.Query["last"].ToString(), n, out var more);
        if (more && page.Count > 0)
            Pagination.Link(http.Response, RouteTable.Build(RouteName.Catalog), n!.Value, page[^1]);
        return Responses.JsonAsync(http, JsonSerializer.SerializeToUtf8Bytes(new Catalog(page), DistributionJson.Default.Catalog));
    }
}
