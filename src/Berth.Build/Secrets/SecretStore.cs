using Berth.Errdefs;

namespace Berth.Build.Secrets;

/// <summary>
/// The build's secrets by id, read when a step mounts one. Reading happens at mount time, not at
/// parse time, so a secret no step uses is never touched; <see cref="Validate"/> checks up front
/// (as buildx does when the build starts) that every file exists and is small enough.
/// A secret's bytes are never logged or hashed into a cache key.
/// </summary>
public sealed class SecretStore
{
    /// <summary>buildkit's limit on one secret (secretsprovider's MaxSecretSize).</summary>
    public const int MaxSecretSize = 500 * 1024;

    private readonly Dictionary<string, BuildSecret> secrets;
    private readonly Func<string, string?> environment;

    /// <param name="environment">Looks a variable up (null when unset); <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    public SecretStore(IEnumerable<BuildSecret> secrets, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        this.secrets = new Dictionary<string, BuildSecret>(StringComparer.Ordinal);
        foreach (var s in secrets)
        {
            this.secrets[s.Id] = s;
        }
        this.environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public IReadOnlyCollection<string> Ids => secrets.Keys;

    public bool Contains(string id) => secrets.ContainsKey(id);

    /// <summary>Checks each file secret exists, is a regular file and is at most <see cref="MaxSecretSize"/>.</summary>
    public void Validate()
    {
        foreach (var s in secrets.Values)
        {
            if (s.File is not null)
            {
                _ = CheckFile(s);
            }
        }
    }

    /// <summary>
    /// The secret's bytes, or null when no <c>--secret</c> has this id. A mount that is not
    /// <c>required</c> is then skipped (buildkit's behaviour); a required one fails with
    /// <see cref="NotFound"/>'s message. A missing file or unset variable is NotFound.
    /// </summary>
    public byte[]? TryRead(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!secrets.TryGetValue(id, out var s))
        {
            return null;
        }
        if (s.Env is not null)
        {
            var value = environment(s.Env) ?? throw BerthException.NotFound($"read secret `{id}`: environment variable `{s.Env}` is not set");
            var bytes = System.Text.Encoding.UTF8.GetBytes(value);
            return bytes.Length <= MaxSecretSize ? bytes : throw TooBig(id);
        }
        var path = CheckFile(s);
        try
        {
            var data = File.ReadAllBytes(path);
            return data.Length <= MaxSecretSize ? data : throw TooBig(id);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Wrap(e, $"read secret `{id}`: read `{path}`");
        }
    }

    /// <summary>The message for a required secret mount whose id no <c>--secret</c> gave: buildkit's "secret ID: not found".</summary>
    public static BerthException NotFound(string id) => BerthException.NotFound($"secret {id}: not found");

    private static string CheckFile(BuildSecret s)
    {
        var path = Path.GetFullPath(s.File!);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw Directory.Exists(path)
                ? BerthException.InvalidArgument($"read secret `{s.Id}`: `{path}` is a directory")
                : BerthException.NotFound($"read secret `{s.Id}`: stat `{path}`: no such file or directory");
        }
        return info.Length <= MaxSecretSize ? path : throw TooBig(s.Id);
    }

    private static BerthException TooBig(string id) => BerthException.InvalidArgument($"secret {id} too big. max size 500KB");
}
