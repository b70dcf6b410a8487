using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Distribution.Client;

/// <summary>A manifest or index as the registry sent it: the exact bytes, their media type and digest (computed, never taken on trust).</summary>
public sealed record ManifestContent(byte[] Bytes, string MediaType, Digest Digest)
{
    public Descriptor Descriptor => new() { MediaType = MediaType, Digest = Digest.ToString(), Size = Bytes.Length };
}
