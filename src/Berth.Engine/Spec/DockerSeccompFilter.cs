namespace Berth.Engine.Spec;

/// <summary>Conditions of a rule: any of the capabilities, any of the architectures, a minimum kernel.</summary>
public sealed record DockerSeccompFilter
{
    public IReadOnlyList<string>? Caps { get; init; }
    public IReadOnlyList<string>? Arches { get; init; }
    public string? MinKernel { get; init; }
}
