namespace Berth.Images.Tests.Content;

/// <summary>A temporary directory removed when the test ends.</summary>
public sealed class ContentTempRoot : IDisposable
{
    public ContentTempRoot()
    {
        Path = Directory.CreateTempSubdirectory("berth-images-").FullName;
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
