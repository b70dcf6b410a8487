using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Engine.Model;

/// <summary>
/// What the engine keeps on disk about one container (<c>containers/ID/container.json</c>): its
/// identity, its configuration as created, the image it came from and the snapshot it runs on.
/// Run state (pid, exit code, restarts) is the monitor's, in <c>monitor-state.json</c> beside it.
/// Written atomically (temp file, fsync, rename) under the container's lock.
/// </summary>
public sealed record ContainerRecord
{
    public string Id { get; init; } = "";

    /// <summary>The name without docker's leading slash.</summary>
    public string Name { get; init; } = "";

    public DateTimeOffset Created { get; init; }

    /// <summary>The executable and arguments after Entrypoint/Cmd were combined with the image's.</summary>
    public string Path { get; init; } = "";

    public IReadOnlyList<string> Args { get; init; } = [];
    public Config Config { get; init; } = new();
    public HostConfig HostConfig { get; init; } = new();

    /// <summary>The image id: the digest of its config ("sha256:…").</summary>
    public string Image { get; init; } = "";

    /// <summary>The manifest the container was created from.</summary>
    public string ImageManifest { get; init; } = "";

    /// <summary>Lower directories of the overlay, top layer first (empty for an image without layers).</summary>
    public IReadOnlyList<string> LayerChain { get; init; } = [];

    public IReadOnlyList<MountPoint> Mounts { get; init; } = [];

    /// <summary>Set by <c>berth pause</c>, cleared by <c>unpause</c> and whenever the container stops.</summary>
    public bool Paused { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
