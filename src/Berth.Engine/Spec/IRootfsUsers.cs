namespace Berth.Engine.Spec;

/// <summary>
/// The rootfs's user database as text: its <c>/etc/passwd</c> and <c>/etc/group</c>. The spec
/// builder reads users only through this, so tests pass in-memory files and the engine decides
/// how to read inside a rootfs safely (never following a symlink out of it). A missing file is
/// null, not an error: docker treats it as an empty database.
/// </summary>
public interface IRootfsUsers
{
    string? ReadPasswd();

    string? ReadGroup();
}
