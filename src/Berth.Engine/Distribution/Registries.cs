using Berth.Distribution.Client;
using Berth.Distribution.Client.Auth;
using Berth.Distribution.Client.Credentials;
using Berth.Distribution.Client.Hosts;
using Berth.Distribution.Client.Transfers;

namespace Berth.Engine.Distribution;

/// <summary>
/// Everything a pull or push needs besides the store, wired once per engine: which endpoints
/// serve a registry (<see cref="Hosts"/>, from the registries file), the credentials
/// (<see cref="Credentials"/>), one token cache, and the client-side state under
/// <c>ROOT/distribution/</c> — upload sessions to resume and the repositories each blob is known
/// to be in (for cross-repository mounts).
/// </summary>
public sealed class Registries
{
    public Registries(string root, RegistriesConfig config, CredentialStore credentials, Func<RegistryEndpoint, HttpMessageHandler>? handlers = null)
    {
        Hosts = new RegistryHosts(config);
        Credentials = credentials;
        StateDirectory = Path.Combine(root, "distribution");
        Uploads = new UploadSessions(Path.Combine(StateDirectory, "uploads"));
        _handlers = handlers;
    }

    private readonly Func<RegistryEndpoint, HttpMessageHandler>? _handlers;

    /// <summary>The defaults for an engine root: the registries file (see <see cref="RegistriesConfig.DefaultPath"/>) and the default credential files.</summary>
    public static Registries ForRoot(string root) =>
        new(root, RegistriesConfig.Load(RegistriesConfig.DefaultPath(root)), CredentialStore.Default());

    public RegistryHosts Hosts { get; }

    public CredentialStore Credentials { get; }

    public TokenCache Tokens { get; } = new();

    public string StateDirectory { get; }

    public UploadSessions Uploads { get; }

    public string SourcesPath => Path.Combine(StateDirectory, "sources.json");

    /// <summary>
    /// Blobs at or below this size go up in one PUT; larger ones in PATCH chunks of
    /// <see cref="ChunkSize"/>, each a point a killed push resumes from.
    /// </summary>
    public long MonolithicLimit { get; init; } = Environment.GetEnvironmentVariable("BERTH_PUSH_CHUNK_SIZE") is { } s && long.TryParse(s, out var v) ? v : 8 << 20;

    public long ChunkSize { get; init; } = Environment.GetEnvironmentVariable("BERTH_PUSH_CHUNK_SIZE") is { } s && long.TryParse(s, out var v) ? v : 8 << 20;

    /// <summary>Layers moved at once (docker's default for both directions is 3 and 5; one number here).</summary>
    public int Parallelism { get; init; } = 3;

    /// <summary>A client for an endpoint with a credential of the caller's (login checks one this way).</summary>
    public RegistryClient ClientWith(RegistryEndpoint endpoint, RegistryCredential? credential) =>
        new(endpoint, credential, Tokens, _handlers?.Invoke(endpoint));

    /// <summary>A client for an endpoint, with the credential stored for the registry it serves.</summary>
    public RegistryClient Client(RegistryEndpoint endpoint, string domain) =>
        new(endpoint, Credentials.Find(domain) ?? (endpoint.Host != domain ? Credentials.Find(endpoint.Host) : null), Tokens, _handlers?.Invoke(endpoint));
}
