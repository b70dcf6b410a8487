namespace Berth.Engine.Model;

/// <summary>A host device made available in the container (<c>--device HOST:CONTAINER:rwm</c>).</summary>
public sealed record DeviceMapping
{
    public string PathOnHost { get; init; } = "";
    public string PathInContainer { get; init; } = "";
    public string CgroupPermissions { get; init; } = "rwm";
}
