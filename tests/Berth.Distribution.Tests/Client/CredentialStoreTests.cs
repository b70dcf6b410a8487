using System.Text;
using Berth.Distribution.Client.Credentials;
using Berth.Errdefs;

namespace Berth.Distribution.Tests.Client;

public sealed class CredentialStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-cred-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void ReadsDockersConfigJsonKeysAsDockerDoes()
    {
        var docker = Path.Combine(_dir, "config.json");
        File.WriteAllText(docker, $$"""
            { "auths": {
                "https://index.docker.io/v1/": { "auth": "{{B64("hub:pw1")}}" },
                "https://reg.example.com:5000/v2/": { "auth": "{{B64("user:p:with:colons")}}" },
                "plain.example": { "username": "u3", "password": "p3" } },
              "credsStore": "desktop" }
            """);
        var store = new CredentialStore(Path.Combine(_dir, "auth.json"), docker);
        Assert.Equal(new RegistryCredential("hub", "pw1"), store.Find("docker.io"));
        Assert.Equal(new RegistryCredential("user", "p:with:colons"), store.Find("reg.example.com:5000"));
        Assert.Equal(new RegistryCredential("u3", "p3"), store.Find("plain.example"));
        Assert.Null(store.Find("reg.example.com"));
    }

    [Fact]
    public void BerthsFileComesFirstIsMode0600AndNeverShowsTheSecret()
    {
        var docker = Path.Combine(_dir, "config.json");
        File.WriteAllText(docker, "{\"auths\":{\"r:1\":{\"auth\":\"" + B64("old:old") + "\"}}}");
        var store = new CredentialStore(Path.Combine(_dir, "sub", "auth.json"), docker);
        store.Save("r:1", new RegistryCredential("new", "s3cret"));
        Assert.Equal(new RegistryCredential("new", "s3cret"), store.Find("r:1"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.AuthFilePath));
        Assert.Contains(B64("new:s3cret"), File.ReadAllText(store.AuthFilePath));
        Assert.DoesNotContain("s3cret", new RegistryCredential("new", "s3cret").ToString());
        Assert.True(store.Remove("r:1"));
        Assert.False(store.Remove("r:1"));
        Assert.Equal(new RegistryCredential("old", "old"), store.Find("r:1"));
    }

    [Fact]
    public void DockerHubIsStoredUnderDockersKey()
    {
        var store = new CredentialStore(Path.Combine(_dir, "auth.json"), null);
        store.Save("docker.io", new RegistryCredential("a", "b"));
        Assert.Contains(CredentialStore.DockerHubKey, File.ReadAllText(store.AuthFilePath));
        Assert.NotNull(store.Find("docker.io"));
    }

    [Fact]
    public void BadEntriesAreClearErrorsWithoutTheSecret()
    {
        var path = Path.Combine(_dir, "auth.json");
        File.WriteAllText(path, """{"auths":{"r":{"auth":"%%%not-base64"}}}""");
        var e = Assert.Throws<BerthException>(() => new CredentialStore(path, null).Find("r"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("not base64", e.Message);
        File.WriteAllText(path, "{\"auths\":{\"r\":{\"auth\":\"" + B64("nocolon") + "\"}}}");
        Assert.Contains("not user:password", Assert.Throws<BerthException>(() => new CredentialStore(path, null).Find("r")).Message);
        File.WriteAllText(path, "{ not json");
        Assert.Contains("read auth file", Assert.Throws<BerthException>(() => new CredentialStore(path, null).Find("r")).Message);
    }
}
