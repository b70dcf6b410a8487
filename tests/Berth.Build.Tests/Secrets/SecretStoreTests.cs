using System.Text;
using Berth.Build.Secrets;
using Berth.Errdefs;

namespace Berth.Build.Tests.Secrets;

public sealed class SecretStoreTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("berth-secret-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string? Env(string name) => name == "TOKEN" ? "s3cret" : name == "EMPTY" ? "" : null;

    [Fact]
    public void ReadsFilesAndVariables()
    {
        var file = Path.Combine(dir, "key");
        File.WriteAllBytes(file, [0, 1, 2, 255]);
        var store = new SecretStore(BuildSecretParser.Parse([$"id=key,src={file}", "env=TOKEN", "id=e,env=EMPTY"], Env), Env);
        store.Validate();
        Assert.Equal([0, 1, 2, 255], store.TryRead("key"));
        Assert.Equal("s3cret", Encoding.UTF8.GetString(store.TryRead("TOKEN")!));
        Assert.Empty(store.TryRead("e")!);
        Assert.Null(store.TryRead("other"));
        Assert.True(store.Contains("key"));
        Assert.False(store.Contains("other"));
        Assert.Equal("secret other: not found", SecretStore.NotFound("other").Message);
    }

    [Fact]
    public void AMissingFileIsNotFoundNamingThePath()
    {
        var missing = Path.Combine(dir, "nope");
        var store = new SecretStore([new BuildSecret("k", missing, null)], Env);
        var e = Assert.Throws<BerthException>(store.Validate);
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal($"read secret `k`: stat `{missing}`: no such file or directory", e.Message);
        Assert.Equal(e.Message, Assert.Throws<BerthException>(() => store.TryRead("k")).Message);
    }

    [Fact]
    public void ADirectoryIsRejected()
    {
        var store = new SecretStore([new BuildSecret("d", dir, null)], Env);
        var e = Assert.Throws<BerthException>(() => store.TryRead("d"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"read secret `d`: `{dir}` is a directory", e.Message);
    }

    [Fact]
    public void AnUnsetVariableIsNotFound()
    {
        var store = new SecretStore([new BuildSecret("t", null, "GONE")], Env);
        store.Validate(); // variables are read only when used
        var e = Assert.Throws<BerthException>(() => store.TryRead("t"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("read secret `t`: environment variable `GONE` is not set", e.Message);
    }

    [Fact]
    public void SecretsOverBuildkitsLimitAreRejected()
    {
        var big = Path.Combine(dir, "big");
        File.WriteAllBytes(big, new byte[SecretStore.MaxSecretSize + 1]);
        var exact = Path.Combine(dir, "exact");
        File.WriteAllBytes(exact, new byte[SecretStore.MaxSecretSize]);
        var store = new SecretStore([new BuildSecret("big", big, null), new BuildSecret("exact", exact, null)], Env);
        Assert.Equal(SecretStore.MaxSecretSize, store.TryRead("exact")!.Length);
        var e = Assert.Throws<BerthException>(() => store.TryRead("big"));
        Assert.Equal("secret big too big. max size 500KB", e.Message);
        Assert.Equal(e.Message, Assert.Throws<BerthException>(store.Validate).Message);
    }
}
