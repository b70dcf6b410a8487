using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Distribution.Client.Transfers;

/// <summary>An upload session a push opened and has not finished: where to continue sending one blob.</summary>
public sealed record UploadSession(
    [property: JsonPropertyName("registry")] string Registry,
    [property: JsonPropertyName("repository")] string Repository,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("location")] string Location);

/// <summary>
/// Upload sessions kept on disk (<c>DIR/SHA256(registry/repository@digest).json</c>), so a push
/// that was killed continues each blob where the registry's copy ends instead of sending it
/// again (docker always starts over). A record is a hint: the registry's own answer to a status
/// GET decides where to continue, and a session it no longer knows is simply started anew.
/// </summary>
public sealed class UploadSessions(string directory)
{
    public string Directory { get; } = directory;

    public UploadSession? Find(string registry, string repository, string digest)
    {
        var path = PathOf(registry, repository, digest);
        try
        {
            if (!File.Exists(path) || new FileInfo(path).Length > 64 * 1024)
                return null;
            var session = JsonSerializer.Deserialize(File.ReadAllBytes(path), ClientJson.Default.UploadSession);
            return session is not null && session.Registry == registry && session.Repository == repository && session.Digest == digest ? session : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    public void Save(UploadSession session)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(session.Registry, session.Repository, session.Digest);
        var temp = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(session, ClientJson.Default.UploadSession));
        File.Move(temp, path, overwrite: true);
    }

    public void Remove(string registry, string repository, string digest)
    {
        if (System.IO.Directory.Exists(Directory))
            File.Delete(PathOf(registry, repository, digest));
    }

    private string PathOf(string registry, string repository, string digest) =>
        Path.Combine(Directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{registry}/{repository}@{digest}"))) + ".json");
}
