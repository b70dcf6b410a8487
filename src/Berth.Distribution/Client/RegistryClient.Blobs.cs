using System.Net;
using System.Net.Http.Headers;
using Berth.Distribution.Routes;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Distribution.Client;

public sealed partial class RegistryClient
{
    /// <summary>HEAD a blob: its size when the registry has it, null when not (docker's "Layer already exists" check).</summary>
    public async Task<long?> HeadBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(b => new HttpRequestMessage(HttpMethod.Head, b + RouteTable.Build(RouteName.Blob, repository, digest.ToString())),
            [Scope(repository, push: false)], cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
        return response.Content.Headers.ContentLength ?? -1;
    }

    /// <summary>
    /// GET a blob, from <paramref name="offset"/> with a Range request when it is above 0. The
    /// registry may ignore the range (200): <see cref="BlobDownload.Offset"/> then says 0 and the
    /// caller starts over. The caller hashes what it reads; nothing here trusts the bytes.
    /// </summary>
    public async Task<BlobDownload> GetBlobAsync(string repository, Digest digest, long offset = 0, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(b =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, b + RouteTable.Build(RouteName.Blob, repository, digest.ToString()));
            if (offset > 0)
                request.Headers.Range = new RangeHeaderValue(offset, null);
            return request;
        }, [Scope(repository, push: false)], cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
            {
                response.Dispose();
                return await GetBlobAsync(repository, digest, 0, cancellationToken).ConfigureAwait(false);
            }
            if (!response.IsSuccessStatusCode)
                throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
            var start = 0L;
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                start = response.Content.Headers.ContentRange?.From ?? -1;
                if (start != offset)
                    throw BerthException.FailedPrecondition($"get blob `{digest}`: asked for bytes from {offset}, the registry sent from {start}");
            }
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new BlobDownload(response, body, start);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
