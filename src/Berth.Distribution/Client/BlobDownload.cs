namespace Berth.Distribution.Client;

/// <summary>An open blob download: the body from <see cref="Offset"/> on (0 unless the registry honoured a Range).</summary>
public sealed class BlobDownload(HttpResponseMessage response, Stream body, long offset) : IDisposable
{
    public Stream Body { get; } = body;

    public long Offset { get; } = offset;

    public long? Length => response.Content.Headers.ContentLength;

    public void Dispose()
    {
        Body.Dispose();
        response.Dispose();
    }
}
