using Berth.Distribution.Errors;
using Berth.Distribution.Routes;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Handlers;

/// <summary>What every handler writes the same way: error bodies from the error-code table, and empty answers.</summary>
internal static class Responses
{
    public const string JsonType = "application/json";

    public static Task ErrorAsync(HttpContext http, ErrorCode code, string? message = null)
    {
        var response = http.Response;
        response.StatusCode = code.Status;
        if (HttpMethods.IsHead(http.Request.Method))
            return Task.CompletedTask;
        var body = ErrorBody.Of(code, message).ToUtf8();
        response.ContentType = JsonType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }

    public static Task EmptyAsync(HttpContext http, int status)
    {
        http.Response.StatusCode = status;
        http.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    public static Task JsonAsync(HttpContext http, byte[] body, string contentType = JsonType)
    {
        var response = http.Response;
        response.StatusCode = 200;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }

    /// <summary>The upload headers of 202 and 204 answers: Location, Docker-Upload-UUID and the Range received.</summary>
    public static void UploadHeaders(HttpContext http, string repository, string id, long size)
    {
        var headers = http.Response.Headers;
        headers[Headers.Location] = RouteTable.Build(RouteName.BlobUpload, repository, id);
        headers[Headers.UploadUuid] = id;
        headers[Headers.Range] = "0-" + (size > 0 ? size - 1 : 0);
    }
}
