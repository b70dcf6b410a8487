using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Archive;

/// <summary>
/// One image a load put in the store: the manifest (or index) descriptor, the config digest (the
/// image ID; for an index, that of the host's manifest when it has one, else default) and the
/// names it was indexed under (none for an untagged image, which the caller may name by ID).
/// </summary>
public sealed record LoadedImage(Descriptor Manifest, Digest ConfigDigest, IReadOnlyList<string> Names);
