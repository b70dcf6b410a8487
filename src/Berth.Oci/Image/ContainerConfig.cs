using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// The execution defaults in an image config (image-spec config.md <c>config</c>): what
/// <c>berth run</c> starts when told nothing else. Field names are PascalCase in JSON, as Docker
/// wrote them first and the spec kept them. ExposedPorts and Volumes are sets, lists here.
/// Fields the spec does not name (Docker's Hostname, AttachStdin...) are kept in
/// <see cref="Extra"/> so that reading and writing a config loses nothing.
/// </summary>
public sealed record ContainerConfig
{
    [JsonPropertyName("User")]
    public string? User { get; init; }

    [JsonPropertyName("ExposedPorts")]
    [JsonConverter(typeof(KeySetConverter))]
    public IReadOnlyList<string>? ExposedPorts { get; init; }

    [JsonPropertyName("Env")]
    public IReadOnlyList<string>? Env { get; init; }

    [JsonPropertyName("Entrypoint")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    [JsonPropertyName("Cmd")]
    public IReadOnlyList<string>? Cmd { get; init; }

    [JsonPropertyName("Volumes")]
    [JsonConverter(typeof(KeySetConverter))]
    public IReadOnlyList<string>? Volumes { get; init; }

    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; init; }

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("StopSignal")]
    public string? StopSignal { get; init; }

    [JsonPropertyName("ArgsEscaped")]
    public bool? ArgsEscaped { get; init; }

    [JsonPropertyName("Healthcheck")]
    public HealthConfig? Healthcheck { get; init; }

    [JsonPropertyName("OnBuild")]
    public IReadOnlyList<string>? OnBuild { get; init; }

    [JsonPropertyName("Shell")]
    public IReadOnlyList<string>? Shell { get; init; }

    // Settable, not init: System.Text.Json's source generator cannot fill extension data
    // through the initialiser path it uses for init-only properties.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
