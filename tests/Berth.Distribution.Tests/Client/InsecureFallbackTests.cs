using System.Net;
using Berth.Distribution.Client;
using Berth.Distribution.Client.Auth;
using Berth.Distribution.Client.Hosts;

namespace Berth.Distribution.Tests.Client;

/// <summary>docker's https-then-http fallback for an insecure registry, with requests in flight side by side.</summary>
public class InsecureFallbackTests
{
    /// <summary>Fails every https request once all <c>expected</c> of them have arrived; answers http with 200.</summary>
    private sealed class HttpOnly(int expected) : HttpMessageHandler
    {
        private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _https;

        public int HttpRequests;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.Scheme == "https")
            {
                if (Interlocked.Increment(ref _https) == expected)
                    _allArrived.SetResult();
                await _allArrived.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                throw new HttpRequestException("the SSL connection could not be established");
            }
            Interlocked.Increment(ref HttpRequests);
            return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        }
    }

    [Fact]
    public async Task EveryParallelRequestThatFailedOverHttpsRetriesOverHttp()
    {
        const int parallel = 3; // a push HEADs its layers side by side
        var handler = new HttpOnly(parallel);
        using var client = new RegistryClient(new RegistryEndpoint("127.0.0.1:5000", Insecure: true, Mirror: false), null, new TokenCache(), handler);
        var answers = await Task.WhenAll(Enumerable.Range(0, parallel).Select(i =>
            client.SendAsync(url => new HttpRequestMessage(HttpMethod.Head, $"{url}/v2/a/blobs/sha256:{i:x64}"), [], CancellationToken.None)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(parallel, handler.HttpRequests);
        Assert.Equal("http://127.0.0.1:5000", client.BaseUrl);
    }

    [Fact]
    public async Task ASecureRegistryDoesNotFallBack()
    {
        using var client = new RegistryClient(new RegistryEndpoint("reg.example.com", Insecure: false, Mirror: false), null, new TokenCache(), new HttpOnly(1));
        var e = await Assert.ThrowsAsync<Berth.Errdefs.BerthException>(() =>
            client.SendAsync(url => new HttpRequestMessage(HttpMethod.Get, url + "/v2/"), [], CancellationToken.None));
        Assert.Contains("https://reg.example.com/v2/", e.Message);
    }
}
