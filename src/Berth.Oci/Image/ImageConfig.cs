using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// An image configuration (image-spec config.md, Docker's container.image.v1): the platform,
/// the execution defaults, the layers' diff ids and the build history. Its digest is the
/// image id. Fields outside the spec (Docker's container, container_config, docker_version)
/// are kept in <see cref="Extra"/>. Read with <see cref="ImageJson.ParseConfig"/>.
/// </summary>
public sealed record ImageConfig
{
    /// <summary>RFC 3339 time, kept as written (Go writes nanoseconds).</summary>
    public string? Created { get; init; }

    public string? Author { get; init; }
    public string Architecture { get; init; } = "";
    public string Os { get; init; } = "";

    [JsonPropertyName("os.version")]
    public string? OsVersion { get; init; }

    [JsonPropertyName("os.features")]
    public IReadOnlyList<string>? OsFeatures { get; init; }

    public string? Variant { get; init; }
    public ContainerConfig? Config { get; init; }

    [JsonPropertyName("rootfs")]
    public RootFs RootFs { get; init; } = new();

    public IReadOnlyList<History>? History { get; init; }

    // Settable, not init: System.Text.Json's source generator cannot fill extension data
    // through the initialiser path it uses for init-only properties.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
