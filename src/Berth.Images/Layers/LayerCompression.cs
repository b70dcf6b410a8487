namespace Berth.Images.Layers;

/// <summary>The compression a layer blob was found to use, from its first bytes.</summary>
public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}
