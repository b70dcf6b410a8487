using Berth.Oci;

namespace Berth.Images.Layers;

/// <summary>What applying a layer found: its DiffID (sha256 of the uncompressed tar) and size.</summary>
public sealed record LayerApplyResult(Digest DiffId, long Size, LayerCompression Compression, int Entries);
