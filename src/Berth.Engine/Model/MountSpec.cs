namespace Berth.Engine.Model;

/// <summary>
/// One entry of <c>HostConfig.Mounts</c> (<c>--mount type=bind|tmpfs|volume,…</c>), as the
/// Docker API names it. Type "bind" needs Source; "tmpfs" takes TmpfsOptions.
/// </summary>
public sealed record MountSpec
{
    public string Type { get; init; } = "";
    public string Source { get; init; } = "";
    public string Target { get; init; } = "";
    public bool ReadOnly { get; init; }
    public string? Consistency { get; init; }
    public BindOptions? BindOptions { get; init; }
    public TmpfsOptions? TmpfsOptions { get; init; }
}
