using System.Globalization;
using Berth.Distribution.Errors;
using Berth.Distribution.Routes;
using Berth.Oci;
using Berth.Registry.Server;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Handlers;

/// <summary>
/// <c>/v2/NAME/blobs/DIGEST</c>: GET and HEAD (end-2, with single-range requests) and DELETE
/// (end-10). The hot path of every pull: one stat of the repository's link, one open of the blob,
/// and the file read straight into Kestrel's output pipe, with no buffer of our own in between.
/// </summary>
internal static class BlobsHandler
{
    private const int ChunkSize = 256 * 1024;

    /// <summary>Below this, a copy costs less than the extra sendfile round trip.</summary>
    private const long SendFileMinimum = 64 * 1024;

    public static Task HandleAsync(RegistryContext registry, HttpContext http, Route route)
    {
        var method = http.Request.Method;
        if (!Digest.TryParse(route.Argument, out var digest))
            return Responses.ErrorAsync(http, ErrorCode.DigestInvalid, $"invalid digest `{route.Argument}`");
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
            return GetAsync(registry, http, route.Repository, digest, HttpMethods.IsHead(method));
        if (HttpMethods.IsDelete(method))
        {
            if (!registry.Store.DeleteBlob(route.Repository, digest))
                return Responses.ErrorAsync(http, ErrorCode.BlobUnknown);
            http.Response.Headers[Headers.ContentDigest] = digest.ToString();
            return Responses.EmptyAsync(http, 202);
        }
        return Responses.ErrorAsync(http, ErrorCode.Unsupported);
    }

    private static async Task GetAsync(RegistryContext registry, HttpContext http, string repository, Digest digest, bool head)
    {
        var info = registry.Store.StatBlob(repository, digest);
        var local = info is null ? null : registry.Store.Driver.LocalPath(info.Path);
        Microsoft.Win32.SafeHandles.SafeFileHandle? handle = null;
        try
        {
            if (local is not null)
                handle = File.OpenHandle(local, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan | FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Swept by GC between the stat and the open.
        }
        if (handle is null)
        {
            await Responses.ErrorAsync(http, ErrorCode.BlobUnknown);
            return;
        }
        try
        {
            var size = RandomAccess.GetLength(handle);
            var response = http.Response;
            var headers = response.Headers;
            headers[Headers.ContentDigest] = digest.ToString();
            headers.AcceptRanges = "bytes";
            headers.ETag = "\"" + digest + "\"";
            headers.CacheControl = "max-age=31536000";
            response.ContentType = "application/octet-stream";
            long start = 0, length = size;
            switch (ByteRange.Parse(http.Request.Headers.Range, size, out var rangeStart, out var rangeLength))
            {
                case ByteRange.Outcome.Unsatisfiable:
                    headers.ContentRange = "bytes */" + size.ToString(CultureInfo.InvariantCulture);
                    await Responses.ErrorAsync(http, ErrorCode.RangeInvalid);
                    return;
                case ByteRange.Outcome.Partial:
                    (start, length) = (rangeStart, rangeLength);
                    response.StatusCode = 206;
                    headers.ContentRange = $"bytes {start}-{start + length - 1}/{size}";
                    break;
                default:
                    response.StatusCode = 200;
                    break;
            }
            response.ContentLength = length;
            if (head)
                return;
            if (length >= SendFileMinimum && http.Features.Get<SendFileTransport>() is { } transport)
            {
                await SendFileAsync(http, transport, handle, start, length);
                handle = null; // the transport owns it now
                return;
            }
            await SendAsync(http, handle, start, length);
        }
        finally
        {
            handle?.Dispose();
        }
    }

    /// <summary>
    /// Zero-copy: headers out through Kestrel, the file queued on the transport at that position,
    /// and the body's length advanced through Kestrel's writer without being written (see
    /// <see cref="SendFileTransport"/>).
    /// </summary>
    private static async Task SendFileAsync(HttpContext http, SendFileTransport transport, Microsoft.Win32.SafeHandles.SafeFileHandle handle, long offset, long length)
    {
        var writer = http.Response.BodyWriter;
        await http.Response.StartAsync(http.RequestAborted);
        await writer.FlushAsync(http.RequestAborted);
        transport.QueueFile(new FileStream(handle, FileAccess.Read, 0, isAsync: true), offset, length);
        var left = length;
        while (left > 0)
        {
            var memory = writer.GetMemory((int)Math.Min(left, ChunkSize));
            var n = (int)Math.Min(left, memory.Length);
            writer.Advance(n);
            left -= n;
            var flushed = await writer.FlushAsync(http.RequestAborted);
            if (flushed.IsCanceled || flushed.IsCompleted)
                return;
        }
    }

    /// <summary>Reads the file into the response pipe's own buffers, a chunk at a time.</summary>
    private static async Task SendAsync(HttpContext http, Microsoft.Win32.SafeHandles.SafeFileHandle handle, long offset, long length)
    {
        var writer = http.Response.BodyWriter;
        var cancellation = http.RequestAborted;
        while (length > 0)
        {
            var want = (int)Math.Min(length, ChunkSize);
            var memory = writer.GetMemory(want);
            if (memory.Length > want)
                memory = memory[..want];
            // A synchronous pread: blobs are page-cache hits almost always, and queueing the read to
            // the thread pool costs more than it.
            var read = RandomAccess.Read(handle, memory.Span, offset);
            if (read == 0)
                throw new IOException("blob file is shorter than its size");
            writer.Advance(read);
            offset += read;
            length -= read;
            var flushed = await writer.FlushAsync(cancellation);
            if (flushed.IsCanceled || flushed.IsCompleted)
                return;
        }
    }
}
