using Berth.Oci;

namespace Berth.Images.Content;

/// <summary>
/// The state of an in-progress ingest: how many bytes are already on disk (<see cref="Offset"/>,
/// where a resumed write continues) and what the writer said it expects.
/// </summary>
public sealed record IngestStatus(
    string Reference,
    long Offset,
    Digest? ExpectedDigest,
    long? ExpectedSize,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt);
