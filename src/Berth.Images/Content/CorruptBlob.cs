using Berth.Oci;

namespace Berth.Images.Content;

/// <summary>A blob whose bytes hash to <see cref="Actual"/> instead of its name <see cref="Digest"/>.</summary>
public sealed record CorruptBlob(Digest Digest, Digest Actual, long Size);
