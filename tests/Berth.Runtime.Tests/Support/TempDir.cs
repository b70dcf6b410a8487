namespace Berth.Runtime.Tests.Support;

/// <summary>A fresh temporary directory, removed with everything in it on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "berth-runtime-test-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

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
