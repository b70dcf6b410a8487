using System.Security.Cryptography;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Build.Copy;

/// <summary>A file ADD fetched from a URL, waiting in a temp directory.</summary>
internal sealed record Download(string Path, string FileName, Digest Digest, DateTimeOffset? LastModified);

/// <summary>
/// ADD of an http(s) URL, as BuildKit's http source: the body is saved (never extracted), named
/// after the last element of the URL path (<c>__unnamed__</c> if it has none), verified against
/// <c>--checksum</c>, and its Last-Modified header becomes the file's mtime.
/// </summary>
internal static class UrlDownloader
{
    public static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.Ordinal) || source.StartsWith("https://", StringComparison.Ordinal);

    /// <summary>The sources BuildKit would fetch with git: <c>git@…</c>, <c>git://…</c>, and http(s) URLs of a <c>.git</c> repository.</summary>
    public static bool IsGit(string source)
    {
        if (source.StartsWith("git@", StringComparison.Ordinal) || source.StartsWith("git://", StringComparison.Ordinal) || source.StartsWith("ssh://", StringComparison.Ordinal))
        {
            return true;
        }
        if (!IsUrl(source))
        {
            return false;
        }
        var path = source.Split('#', 2)[0].Split('?', 2)[0].TrimEnd('/');
        return path.EndsWith(".git", StringComparison.Ordinal);
    }

    public static string FileNameOf(Uri uri)
    {
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        var name = slash < 0 ? trimmed : trimmed[(slash + 1)..];
        return name.Length == 0 || name == "." || name == ".." ? "__unnamed__" : name;
    }

    public static async Task<Download> DownloadAsync(HttpClient http, string url, Digest? expected, string directory, CopierOptions options, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw BerthException.InvalidArgument($"download `{url}`: invalid URL");
        }
        var fileName = FileNameOf(uri);
        var path = System.IO.Path.Combine(directory, "download-" + Guid.NewGuid().ToString("N"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.DownloadTimeout);
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw BerthException.NotFound($"download `{url}`: invalid response status {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd());
            }
            if (response.Content.Headers.ContentLength is { } length && length > options.MaxDownloadSize)
            {
                throw BerthException.InvalidArgument($"download `{url}`: body of {length} bytes is larger than the limit of {options.MaxDownloadSize}");
            }
            var algorithm = expected?.Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
            using var hash = IncrementalHash.CreateHash(algorithm);
            await using (var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false))
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                long total = 0;
                int n;
                while ((n = await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false)) > 0)
                {
                    total += n;
                    if (total > options.MaxDownloadSize)
                    {
                        throw BerthException.InvalidArgument($"download `{url}`: body is larger than the limit of {options.MaxDownloadSize} bytes");
                    }
                    hash.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), timeout.Token).ConfigureAwait(false);
                }
            }
            var got = Digest.FromHash(algorithm == HashAlgorithmName.SHA512 ? "sha512" : "sha256", hash.GetHashAndReset());
            if (expected is { } want && want != got)
            {
                throw BerthException.InvalidArgument($"download `{url}`: digest mismatch: got {got}, expected {want}");
            }
            var digest = got.Algorithm == "sha256" ? got : Digest.FromHash("sha256", CopyDigest.HashFile(path, url));
            return new Download(path, fileName, digest, response.Content.Headers.LastModified);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            File.Delete(path);
            var cause = e is OperationCanceledException ? $"timed out after {options.DownloadTimeout}" : e.Message;
            throw new BerthException(ErrorKind.Unavailable, $"download `{url}`: {cause}", e);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}
