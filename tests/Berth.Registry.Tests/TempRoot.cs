using Berth.Registry.Storage;

namespace Berth.Registry.Tests;

/// <summary>A registry store on a fresh temp directory, removed on dispose.</summary>
public sealed class TempRoot : IDisposable
{
    public TempRoot()
    {
        Path = Directory.CreateTempSubdirectory("berth-registry-test-").FullName;
        Driver = new FileSystemDriver(Path);
        Store = new RegistryStore(Driver);
    }

    public string Path { get; }
    public FileSystemDriver Driver { get; }
    public RegistryStore Store { get; }

    public string Full(string relative) => System.IO.Path.Join(Path, relative);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
