using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Engine.Builds;

/// <summary>The built image: its id (config digest), its manifest and the names given to it.</summary>
public sealed record BuildResult(Digest ImageId, Descriptor Manifest, IReadOnlyList<string> Names);
