using Berth.Oci;
using Berth.Oci.References;

namespace Berth.Engine.Images;

/// <summary>What a push did: the tag, and the digest and size of the manifest (or index) the tag now names.</summary>
public sealed record PushResult(Reference Reference, Digest Digest, long Size);
