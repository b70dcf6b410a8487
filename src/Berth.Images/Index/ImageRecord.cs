using Berth.Oci.Image;

namespace Berth.Images.Index;

/// <summary>One name in the image index and the manifest or index it points at.</summary>
public sealed record ImageRecord(string Name, Descriptor Target);
