using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Errdefs;

namespace Berth.Distribution.Client.Hosts;

/// <summary>
/// The registries file (<c>/etc/berth/registries.json</c>, or <c>ROOT/registries.json</c>, or
/// <c>$BERTH_REGISTRIES_CONFIG</c>), in the spirit of docker's daemon.json:
/// <code>
/// {
///   "registry-mirrors": ["https://mirror.example.com"],      // tried in order for docker.io
///   "mirrors": { "quay.io": ["http://127.0.0.1:5001"] },     // the same for any other registry
///   "insecure-registries": ["myregistry:5000"],              // http allowed, TLS not verified
///   "default-registry": "registry.example.com",              // where docker.io names are fetched
///   "certs-dir": "/etc/berth/certs.d"                        // HOST/ca.crt, as /etc/docker/certs.d
/// }
/// </code>
/// Every key is optional; a missing file is an empty configuration.
/// </summary>
public sealed record RegistriesConfig
{
    public const int MaxFileBytes = 1 << 20;

    [JsonPropertyName("registry-mirrors")] public IReadOnlyList<string>? RegistryMirrors { get; init; }

    [JsonPropertyName("mirrors")] public IReadOnlyDictionary<string, IReadOnlyList<string>>? Mirrors { get; init; }

    [JsonPropertyName("insecure-registries")] public IReadOnlyList<string>? InsecureRegistries { get; init; }

    [JsonPropertyName("default-registry")] public string? DefaultRegistry { get; init; }

    [JsonPropertyName("certs-dir")] public string? CertsDir { get; init; }

    public static RegistriesConfig Empty { get; } = new();

    /// <summary>The file berth reads: the env override, else ROOT/registries.json if present, else /etc/berth/registries.json.</summary>
    public static string DefaultPath(string root) =>
        Environment.GetEnvironmentVariable("BERTH_REGISTRIES_CONFIG") is { Length: > 0 } env ? env
        : File.Exists(Path.Combine(root, "registries.json")) ? Path.Combine(root, "registries.json")
        : "/etc/berth/registries.json";

    public static RegistriesConfig Load(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                return Empty;
            if (info.Length > MaxFileBytes)
                throw BerthException.InvalidArgument($"read registries config `{path}`: larger than {MaxFileBytes} bytes");
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), ClientJson.Default.RegistriesConfig) ?? Empty;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw BerthException.Wrap(e, $"read registries config `{path}`");
        }
    }
}
