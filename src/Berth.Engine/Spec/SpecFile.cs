namespace Berth.Engine.Spec;

/// <summary>
/// A file the engine writes in the container's directory before start, bind-mounted by the
/// spec: <c>hosts</c>, <c>hostname</c>, <c>resolv.conf</c>. Path is absolute on the host.
/// </summary>
public sealed record SpecFile
{
    public string Name { get; init; } = "";
    public string Path { get; init; } = "";
    public string Destination { get; init; } = "";
    public string Content { get; init; } = "";
}
