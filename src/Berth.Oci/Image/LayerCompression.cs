namespace Berth.Oci.Image;

/// <summary>How a layer's tar stream is compressed, read off its media type.</summary>
public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}
