namespace Berth.Engine.Spec;

/// <summary>Who the container's process runs as: ids, supplementary groups and HOME.</summary>
public sealed record ResolvedUser
{
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public IReadOnlyList<uint> AdditionalGids { get; init; } = [];

    /// <summary>The passwd entry's home directory, "/" when there is no entry (as runc).</summary>
    public string Home { get; init; } = "/";
}
