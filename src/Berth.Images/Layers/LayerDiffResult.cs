using Berth.Oci;

namespace Berth.Images.Layers;

/// <summary>The layer <see cref="LayerDiffer"/> wrote: its DiffID (sha256 of the tar), size and entry count.</summary>
public sealed record LayerDiffResult(Digest DiffId, long Size, int Entries);
