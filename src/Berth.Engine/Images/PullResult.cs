using Berth.Oci;
using Berth.Oci.References;

namespace Berth.Engine.Images;

/// <summary>What a pull did: the name it set, the digest the registry knows the image by (the index's when it served one), and whether anything changed.</summary>
public sealed record PullResult(Reference Reference, Digest Digest, bool Updated);
