using Berth.Oci;

namespace Berth.Images.Content;

/// <summary>What the store knows about a committed blob: its name (digest) and its size in bytes.</summary>
public sealed record BlobInfo(Digest Digest, long Size);
