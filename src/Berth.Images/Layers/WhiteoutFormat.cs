namespace Berth.Images.Layers;

/// <summary>How the applier records a deletion or an opaque directory found in a layer.</summary>
public enum WhiteoutFormat
{
    /// <summary>
    /// Apply the whiteouts to the target (image-spec layer.md): <c>.wh.NAME</c> removes NAME,
    /// <c>.wh..wh..opq</c> removes what lower layers put in the directory. The target holds
    /// the merged result of every layer applied to it in order.
    /// </summary>
    Oci,

    /// <summary>
    /// Produce an overlayfs lower directory: <c>.wh.NAME</c> becomes a 0:0 character device
    /// named NAME, <c>.wh..wh..opq</c> becomes the <c>trusted.overlay.opaque=y</c> xattr on the
    /// directory. The target should be empty; each layer goes to its own directory.
    /// </summary>
    Overlay,
}
