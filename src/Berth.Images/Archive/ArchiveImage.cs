using Berth.Oci.Image;

namespace Berth.Images.Archive;

/// <summary>
/// One image to write into an archive: its manifest (or index) descriptor, as the image index
/// holds it, and the names it is saved under (full normalised references,
/// <c>docker.io/library/busybox:latest</c>); no names saves it untagged.
/// </summary>
public sealed record ArchiveImage(Descriptor Manifest, IReadOnlyList<string> Names);
