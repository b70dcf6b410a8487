using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Handlers;

/// <summary><c>GET /v2/</c> (end-1): 200 with an empty object once the request is authorized.</summary>
internal static class BaseHandler
{
    private static readonly byte[] Empty = "{}"u8.ToArray();

    public static Task HandleAsync(HttpContext http) =>
        HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            ? Responses.JsonAsync(http, Empty)
            : Responses.ErrorAsync(http, Distribution.Errors.ErrorCode.Unsupported);
}
