namespace Berth.Images.Layers;

/// <summary>The tar entry a <see cref="LayerChange"/> becomes; whiteouts are regular empty files named .wh.*.</summary>
public enum LayerChangeKind
{
    Directory,
    File,
    Symlink,
    HardLink,
    CharDevice,
    BlockDevice,
    Fifo,

    /// <summary>An OCI whiteout (<c>.wh.NAME</c>) or opaque marker (<c>.wh..wh..opq</c>): an empty file.</summary>
    Whiteout,
}
