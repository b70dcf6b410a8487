namespace Berth.IntegrationTests.Build;

/// <summary>
/// One path of a flattened image filesystem, as the parity tests compare it: everything that
/// survives into a container except times. <see cref="Links"/> names every path sharing this
/// regular file's content through hard links (null when it has no other name), so the comparison
/// does not depend on which of the names a peer happened to write first in its layer tar.
/// </summary>
public sealed record FsEntry(
    string Path,
    string Type,
    int Mode,
    int Uid,
    int Gid,
    long Size,
    string? Sha256,
    string? LinkTarget,
    string? Device,
    IReadOnlyList<string>? Links)
{
    /// <summary>One line per entry, the unit a failure diff shows: <c>/etc/passwd file 0644 0:0 123 sha256:ab12…</c>.</summary>
    public override string ToString()
    {
        var text = $"{Path} {Type} {Convert.ToString(Mode, 8).PadLeft(4, '0')} {Uid}:{Gid}";
        if (Type == "file")
            text += $" {Size} sha256:{Sha256![..16]}";
        if (LinkTarget is not null)
            text += $" -> {LinkTarget}";
        if (Device is not null)
            text += $" dev {Device}";
        if (Links is not null)
            text += $" links [{string.Join(' ', Links)}]";
        return text;
    }
}
