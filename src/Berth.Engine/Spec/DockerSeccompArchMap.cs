namespace Berth.Engine.Spec;

/// <summary>An architecture and the ones its processes may also use (x86_64: x86 and x32).</summary>
public sealed record DockerSeccompArchMap
{
    public string Architecture { get; init; } = "";
    public IReadOnlyList<string>? SubArchitectures { get; init; }
}
