using Berth.Errdefs;

namespace Berth.Distribution.Client;

/// <summary>Reading registry bodies whole, never past a limit (the body is untrusted).</summary>
internal static class Bodies
{
    /// <summary>The body, at most <paramref name="limit"/> bytes; more is InvalidArgument, naming the limit.</summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } length && length > limit)
            throw BerthException.InvalidArgument($"the registry's answer of {length} bytes is larger than the {limit} allowed");
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
                throw BerthException.InvalidArgument($"the registry's answer is larger than the {limit} bytes allowed");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
