using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Oci.Image;

namespace Berth.Engine.Model;

/// <summary>
/// A container's configuration as the Docker Engine API names it (the top level of
/// <c>POST /containers/create</c> and <c>Config</c> in inspect): what to run and how, independent
/// of the host. Fields the image also has (Env, Cmd, Entrypoint, WorkingDir, User, …) override
/// or merge with the image's as docker does; see <c>Berth.Engine.Spec</c>.
/// </summary>
public sealed record Config
{
    public string Hostname { get; init; } = "";
    public string Domainname { get; init; } = "";
    public string User { get; init; } = "";
    public bool AttachStdin { get; init; }
    public bool AttachStdout { get; init; }
    public bool AttachStderr { get; init; }

    [JsonConverter(typeof(KeySetConverter))]
    public IReadOnlyList<string>? ExposedPorts { get; init; }

    public bool Tty { get; init; }
    public bool OpenStdin { get; init; }
    public bool StdinOnce { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    public IReadOnlyList<string>? Cmd { get; init; }
    public HealthConfig? Healthcheck { get; init; }
    public string Image { get; init; } = "";

    [JsonConverter(typeof(KeySetConverter))]
    public IReadOnlyList<string>? Volumes { get; init; }

    public string WorkingDir { get; init; } = "";
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public IReadOnlyList<string>? OnBuild { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StopSignal { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? StopTimeout { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Shell { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
