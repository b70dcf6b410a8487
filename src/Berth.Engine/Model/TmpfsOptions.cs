namespace Berth.Engine.Model;

/// <summary>Options of a tmpfs mount: size in bytes and the mode of its root.</summary>
public sealed record TmpfsOptions
{
    public long SizeBytes { get; init; }
    public uint Mode { get; init; }
}
