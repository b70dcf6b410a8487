namespace Berth.Distribution.Routes;

/// <summary>The header names the distribution spec and docker's clients use, spelled once.</summary>
public static class Headers
{
    public const string ContentDigest = "Docker-Content-Digest";
    public const string ApiVersion = "Docker-Distribution-API-Version";
    public const string ApiVersionValue = "registry/2.0";
    public const string UploadUuid = "Docker-Upload-UUID";
    public const string Subject = "OCI-Subject";
    public const string FiltersApplied = "OCI-Filters-Applied";
    public const string ChunkMinLength = "OCI-Chunk-Min-Length";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string Range = "Range";
    public const string Location = "Location";
}
