namespace Berth.Build.Copy;

/// <summary>A private directory made on first use, for downloads and here-documents between prepare and apply.</summary>
internal sealed class TempDirectory(string? parent)
{
    public string? Path { get; private set; }

    public string Get()
    {
        if (Path is null)
        {
            var path = System.IO.Path.Combine(parent ?? System.IO.Path.GetTempPath(), "berth-copy-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Path = path;
        }
        return Path;
    }

    public void Delete()
    {
        if (Path is not null && Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
