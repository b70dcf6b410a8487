using System.Net;
using System.Net.Http.Headers;
using Berth.Distribution.Routes;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Distribution.Client;

public sealed partial class RegistryClient
{
    /// <summary>
    /// POST /v2/NAME/blobs/uploads/: opens an upload session, or with <paramref name="mountFrom"/>
    /// asks the registry to mount <paramref name="digest"/> from that repository (201: nothing to
    /// send). A registry that cannot mount answers 202 with a session, which the caller uses.
    /// </summary>
    public async Task<UploadStart> StartUploadAsync(string repository, Digest? digest = null, string? mountFrom = null, CancellationToken cancellationToken = default)
    {
        var mount = digest is not null && mountFrom is not null && mountFrom != repository;
        IReadOnlyList<string> scopes = mount ? [Scope(repository, push: true), Scope(mountFrom!, push: false)] : [Scope(repository, push: true)];
        using var response = await SendAsync(b =>
        {
            var path = RouteTable.Build(RouteName.BlobUploads, repository);
            if (mount)
                path = RouteTable.WithQuery(path, ("mount", digest!.Value.ToString()), ("from", mountFrom));
            return new HttpRequestMessage(HttpMethod.Post, b + path) { Content = new ByteArrayContent([]) };
        }, scopes, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created && mount)
            return new UploadStart(true, null, null);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
        var min = response.Headers.TryGetValues(Headers.ChunkMinLength, out var m) && long.TryParse(m.FirstOrDefault(), out var v) ? v : (long?)null;
        return new UploadStart(false, LocationOf(response), min);
    }

    /// <summary>
    /// GET an upload session's status: the offset the next chunk starts at (the end of its
    /// <c>Range</c> plus one), or null when the registry no longer knows the session.
    /// </summary>
    public async Task<long?> UploadStatusAsync(string repository, string location, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(_ => new HttpRequestMessage(HttpMethod.Get, Absolute(location)),
            [Scope(repository, push: true)], cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
        return NextOffset(response);
    }

    /// <summary>
    /// PATCH one chunk at <paramref name="offset"/> (Content-Range). Returns the session's next
    /// URL and the offset the registry now holds; an answer that does not hold the whole chunk is
    /// FailedPrecondition.
    /// </summary>
    public async Task<(string Location, long Next)> PatchAsync(string repository, string location, Func<HttpContent> chunk, long offset, long length, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(_ =>
        {
            var content = chunk();
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = length;
            var request = new HttpRequestMessage(HttpMethod.Patch, Absolute(location)) { Content = content };
            // Content-Range as the spec writes it ("start-end", no unit), which RangeHeaderValue cannot spell.
            request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
            return request;
        }, [Scope(repository, push: true)], cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
        var next = NextOffset(response);
        if (next != offset + length)
            throw BerthException.FailedPrecondition($"upload chunk at {offset}: the registry holds {next} bytes, not {offset + length}");
        return (LocationOf(response) ?? location, next);
    }

    /// <summary>PUT ?digest=: closes the session, with the last bytes (or the whole blob, monolithic) as the body.</summary>
    public async Task CompleteUploadAsync(string repository, string location, Digest digest, Func<HttpContent>? body, long length, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(_ =>
        {
            var content = body?.Invoke() ?? new ByteArrayContent([]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = body is null ? 0 : length;
            return new HttpRequestMessage(HttpMethod.Put, RouteTable.WithQuery(Absolute(location), ("digest", digest.ToString()))) { Content = content };
        }, [Scope(repository, push: true)], cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
            throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues(Headers.ContentDigest, out var values) && Digest.TryParse(values.FirstOrDefault(), out var answered)
            && answered.Algorithm == digest.Algorithm && answered != digest)
        {
            throw BerthException.FailedPrecondition($"upload blob `{digest}`: the registry stored {answered}");
        }
    }

    /// <summary>DELETE an upload session (best effort: a failed push leaves nothing half-open on purpose).</summary>
    public async Task CancelUploadAsync(string repository, string location, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(_ => new HttpRequestMessage(HttpMethod.Delete, Absolute(location)),
            [Scope(repository, push: true)], cancellationToken).ConfigureAwait(false);
    }

    private string? LocationOf(HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        if (location is null)
            return null;
        return location.IsAbsoluteUri ? location.ToString() : new Uri(new Uri(BaseUrl), location).ToString();
    }

    private string Absolute(string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? location : new Uri(new Uri(BaseUrl), location).ToString();

    /// <summary>The offset after a <c>Range: 0-N</c> header (N+1); 0 without one.</summary>
    private static long NextOffset(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(Headers.Range, out var values) || values.FirstOrDefault() is not { } range)
            return 0;
        var text = range.StartsWith("bytes=", StringComparison.Ordinal) ? range[6..] : range;
        var dash = text.IndexOf('-');
        return dash > 0 && long.TryParse(text[(dash + 1)..], out var end) ? end + 1 : 0;
    }
}
