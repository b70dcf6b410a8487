namespace Berth.IntegrationTests.Registry;

/// <summary>A temp registry root, removed on dispose (whatever the test did).</summary>
public sealed class RegistryRoot : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("berth-registry-it-").FullName;

    public string Storage => System.IO.Path.Combine(Path, "storage");

    /// <summary>Every file under blobs/ (committed content).</summary>
    public IEnumerable<string> BlobFiles()
    {
        var blobs = System.IO.Path.Combine(Storage, "blobs");
        return Directory.Exists(blobs) ? Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories) : [];
    }

    public string? BlobFile(string digest)
    {
        var hex = digest["sha256:".Length..];
        var path = System.IO.Path.Combine(Storage, "blobs", "sha256", hex[..2], hex);
        return File.Exists(path) ? path : null;
    }

    public IEnumerable<string> Uploads()
    {
        var uploads = System.IO.Path.Combine(Storage, "uploads");
        return Directory.Exists(uploads) ? Directory.EnumerateDirectories(uploads) : [];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
