using Berth.Linux.Files;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Images.Content;

/// <summary>
/// The content store on disk. Committed blobs are laid out as an OCI image layout's blobs
/// directory, <c>root/blobs/&lt;algorithm&gt;/&lt;hex&gt;</c>, read-only files that appear only
/// through an atomic, fsynced rename; in-progress writes live in <c>root/ingest/&lt;sha256 of the
/// ref&gt;/</c> (files <c>ref</c>, <c>expected</c>, <c>data</c>, <c>lock</c>), as containerd's local
/// store keeps them. Nothing else is stored, so the store is exactly what is on disk and any number
/// of instances and processes may share a root. <see cref="CheckAsync"/> is the startup check.
/// </summary>
public sealed partial class FileContentStore : IContentStore
{
    private const int BufferSize = 1 << 16;

    public FileContentStore(string root)
    {
        if (string.IsNullOrEmpty(root))
            throw BerthException.InvalidArgument("content store: empty root");
        Root = Path.GetFullPath(root);
        Durable.EnsureDirectory(Root);
        Durable.EnsureDirectory(BlobsDirectory);
        Durable.EnsureDirectory(Path.Combine(BlobsDirectory, "sha256"));
        Durable.EnsureDirectory(IngestDirectory);
    }

    public string Root { get; }

    private string BlobsDirectory => Path.Combine(Root, "blobs");

    private string IngestDirectory => Path.Combine(Root, "ingest");

    /// <summary>Where a blob lives (whether or not it exists). The digest's type guarantees a safe file name.</summary>
    public string BlobPath(Digest digest) => Path.Combine(BlobsDirectory, Name(digest).Algorithm, digest.Encoded);

    public Task<BlobInfo> InfoAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var file = new FileInfo(BlobPath(digest));
        if (!file.Exists)
            throw NotFound(digest);
        return Task.FromResult(new BlobInfo(digest, file.Length));
    }

    public Task<bool> ExistsAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Exists(BlobPath(digest)));
    }

    public Task<Stream> OpenReadAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Stream stream = new FileStream(
                BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, useAsync: true);
            return Task.FromResult(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFound(digest);
        }
    }

    public async Task VerifyAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var actual = await HashFileAsync(BlobPath(digest), digest.Algorithm, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound(digest);
        if (actual != digest)
            throw BerthException.FailedPrecondition($"verify content `{digest}`: content has digest `{actual}`");
    }

    public Task DeleteAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = BlobPath(digest);
        if (!File.Exists(path))
            throw NotFound(digest);
        // Deleting an absent file is not an error in .NET: a racing delete is fine.
        File.Delete(path);
        Durable.FsyncDirectory(Path.GetDirectoryName(path)!);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<BlobInfo> WalkAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var (digest, file) in EnumerateBlobs())
        {
            cancellationToken.ThrowIfCancellationRequested();
            long size;
            try
            {
                size = file.Length;
            }
            catch (FileNotFoundException)
            {
                continue; // deleted while walking
            }
            yield return new BlobInfo(digest, size);
        }
    }

    private IEnumerable<(Digest Digest, FileInfo File)> EnumerateBlobs()
    {
        var blobs = new DirectoryInfo(BlobsDirectory);
        foreach (var algorithm in blobs.EnumerateDirectories())
        {
            foreach (var file in algorithm.EnumerateFiles())
            {
                if (Digest.TryParse($"{algorithm.Name}:{file.Name}", out var digest))
                    yield return (digest, file);
            }
        }
    }

    /// <summary>The digest of a file with the given algorithm; null when the file does not exist.</summary>
    internal static async Task<Digest?> HashFileAsync(string path, string algorithm, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        await using (stream.ConfigureAwait(false))
        {
            using var hash = NewHash(algorithm);
            var buffer = new byte[BufferSize];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                hash.AppendData(buffer, 0, read);
            return Digest.FromHash(algorithm, hash.GetHashAndReset());
        }
    }

    internal static IncrementalHash NewHash(string algorithm) => algorithm switch
    {
        "sha256" => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        "sha512" => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => throw BerthException.InvalidArgument($"unsupported digest algorithm `{algorithm}`"),
    };

    private static Digest Name(Digest digest) =>
        digest.Algorithm is null ? throw BerthException.InvalidArgument("empty digest") : digest;

    private static BerthException NotFound(Digest digest) => BerthException.NotFound($"content `{digest}`: not found");
}
