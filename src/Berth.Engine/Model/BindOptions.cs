namespace Berth.Engine.Model;

/// <summary>Options of a bind mount: propagation (rprivate by default) and whether to recurse.</summary>
public sealed record BindOptions
{
    public string? Propagation { get; init; }
    public bool NonRecursive { get; init; }
}
