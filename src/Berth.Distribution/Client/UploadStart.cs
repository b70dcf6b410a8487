namespace Berth.Distribution.Client;

/// <summary>The answer to starting an upload: mounted from another repository (done), or an upload session's URL.</summary>
public sealed record UploadStart(bool Mounted, string? Location, long? MinChunk);
