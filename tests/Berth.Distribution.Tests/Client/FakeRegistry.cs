using System.Net;

namespace Berth.Distribution.Tests.Client;

/// <summary>An in-test HttpMessageHandler: answers each request with the test's function and records what was asked.</summary>
internal sealed class FakeRegistry(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    public List<(HttpMethod Method, Uri Uri, string? Authorization, string? Range)> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
            Requests.Add((request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), request.Headers.Range?.ToString()));
        var response = answer(request);
        response.RequestMessage = request;
        return Task.FromResult(response);
    }

    public static HttpResponseMessage Status(HttpStatusCode code, string? body = null)
    {
        var response = new HttpResponseMessage(code);
        if (body is not null)
            response.Content = new StringContent(body);
        return response;
    }
}
