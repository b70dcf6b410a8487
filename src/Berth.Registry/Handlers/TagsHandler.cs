using System.Text.Json;
using Berth.Distribution;
using Berth.Distribution.Errors;
using Berth.Distribution.Routes;
using Berth.Registry.Server;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Handlers;

/// <summary><c>GET /v2/NAME/tags/list?n=&amp;last=</c> (end-8a/8b): NAME_UNKNOWN for a repository with nothing in it.</summary>
internal static class TagsHandler
{
    public static Task HandleAsync(RegistryContext registry, HttpContext http, Route route)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
            return Responses.ErrorAsync(http, ErrorCode.Unsupported);
        var repository = route.Repository;
        if (!registry.Store.RepositoryExists(repository))
            return Responses.ErrorAsync(http, ErrorCode.NameUnknown, $"repository `{repository}` not known to registry");
        if (!Pagination.TryReadN(http.Request, out var n))
            return Responses.ErrorAsync(http, ErrorCode.PaginationNumberInvalid);
        var page = Pagination.Page(registry.Store.Tags(repository), http.Request.Query["last"].ToString(), n, out var more);
        if (more && page.Count > 0)
            Pagination.Link(http.Response, RouteTable.Build(RouteName.Tags, repository), n!.Value, page[^1]);
        return Responses.JsonAsync(http, JsonSerializer.SerializeToUtf8Bytes(new TagList(repository, page), DistributionJson.Default.TagList));
    }
}
