using System.Text.Json;
using Berth.Distribution.Routes;
using Berth.Errdefs;

namespace Berth.Distribution.Client;

public sealed partial class RegistryClient
{
    /// <summary>A tag list is never read beyond this size, nor followed for more than this many pages.</summary>
    public const int MaxTagListBytes = 4 << 20;
    public const int MaxTagPages = 100;

    /// <summary>GET /v2/NAME/tags/list, following the Link header's next pages (end-8a/8b).</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken = default)
    {
        var tags = new List<string>();
        string? next = RouteTable.Build(RouteName.Tags, repository);
        for (var page = 0; next is not null && page < MaxTagPages; page++)
        {
            var path = next;
            using var response = await SendAsync(b => new HttpRequestMessage(HttpMethod.Get, path.StartsWith('/') ? b + path : path),
                [Scope(repository, push: false)], cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
            var body = await Bodies.ReadLimitedAsync(response, MaxTagListBytes, cancellationToken).ConfigureAwait(false);
            try
            {
                tags.AddRange(JsonSerializer.Deserialize(body, DistributionJson.Default.TagList)?.Tags ?? []);
            }
            catch (JsonException e)
            {
                throw BerthException.Wrap(e, $"list tags of `{repository}`");
            }
            next = NextLink(response);
        }
        return tags;
    }

    /// <summary>The target of <c>Link: &lt;/v2/…?n=…&amp;last=…&gt;; rel="next"</c>, or null.</summary>
    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
            return null;
        foreach (var value in values)
        {
            var open = value.IndexOf('<');
            var close = value.IndexOf('>');
            if (open >= 0 && close > open && value.Contains("rel=\"next\"", StringComparison.Ordinal))
                return value[(open + 1)..close];
        }
        return null;
    }
}
