using Berth.Errdefs;

namespace Berth.Distribution.Errors;

/// <summary>
/// One of the registry's error codes: the code clients match on, the message the spec gives it, the
/// HTTP status the server answers with (distribution's choice where the spec names none), and the
/// <see cref="ErrorKind"/> a client raises when it reads it. The table is <see cref="All"/>; the
/// server writes from it and the client reads through it, so the two halves cannot disagree.
/// </summary>
public sealed record ErrorCode(string Code, string Message, int Status, ErrorKind Kind)
{
    // The spec's codes (distribution-spec 1.1, "Error Codes").
    public static readonly ErrorCode BlobUnknown = new("BLOB_UNKNOWN", "blob unknown to registry", 404, ErrorKind.NotFound);
    public static readonly ErrorCode BlobUploadInvalid = new("BLOB_UPLOAD_INVALID", "blob upload invalid", 400, ErrorKind.InvalidArgument);
    public static readonly ErrorCode BlobUploadUnknown = new("BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", 404, ErrorKind.NotFound);
    public static readonly ErrorCode DigestInvalid = new("DIGEST_INVALID", "provided digest did not match uploaded content", 400, ErrorKind.InvalidArgument);
    public static readonly ErrorCode ManifestBlobUnknown = new("MANIFEST_BLOB_UNKNOWN", "manifest references a manifest or blob unknown to registry", 404, ErrorKind.NotFound);
    public static readonly ErrorCode ManifestInvalid = new("MANIFEST_INVALID", "manifest invalid", 400, ErrorKind.InvalidArgument);
    public static readonly ErrorCode ManifestUnknown = new("MANIFEST_UNKNOWN", "manifest unknown to registry", 404, ErrorKind.NotFound);
    public static readonly ErrorCode NameInvalid = new("NAME_INVALID", "invalid repository name", 400, ErrorKind.InvalidArgument);
    public static readonly ErrorCode NameUnknown = new("NAME_UNKNOWN", "repository name not known to registry", 404, ErrorKind.NotFound);
    public static readonly ErrorCode SizeInvalid = new("SIZE_INVALID", "provided length did not match content length", 400, ErrorKind.InvalidArgument);
    public static readonly ErrorCode Unauthorized = new("UNAUTHORIZED", "authentication required", 401, ErrorKind.Unauthorized);
    public static readonly ErrorCode Denied = new("DENIED", "requested access to the resource is denied", 403, ErrorKind.PermissionDenied);
    public static readonly ErrorCode Unsupported = new("UNSUPPORTED", "the operation is unsupported", 405, ErrorKind.NotImplemented);
    public static readonly ErrorCode TooManyRequests = new("TOOMANYREQUESTS", "too many requests", 429, ErrorKind.Unavailable);

    // distribution's own, which docker's client also knows.
    public static readonly ErrorCode TagInvalid = new("TAG_INVALID", "manifest tag did not match URI", 400, ErrorKind.InvalidArgument);
    public static readonly ErrorCode ManifestUnverified = new("MANIFEST_UNVERIFIED", "manifest failed signature verification", 400, ErrorKind.InvalidArgument);
    public static readonly ErrorCode PaginationNumberInvalid = new("PAGINATION_NUMBER_INVALID", "invalid number of results requested", 400, ErrorKind.InvalidArgument);
    public static readonly ErrorCode RangeInvalid = new("RANGE_INVALID", "invalid content range", 416, ErrorKind.InvalidArgument);
    public static readonly ErrorCode Unavailable = new("UNAVAILABLE", "service unavailable", 503, ErrorKind.Unavailable);
    public static readonly ErrorCode Unknown = new("UNKNOWN", "unknown error", 500, ErrorKind.Internal);

    public static IReadOnlyList<ErrorCode> All { get; } =
    [
        BlobUnknown, BlobUploadInvalid, BlobUploadUnknown, DigestInvalid, ManifestBlobUnknown, ManifestInvalid,
        ManifestUnknown, NameInvalid, NameUnknown, SizeInvalid, Unauthorized, Denied, Unsupported, TooManyRequests,
        TagInvalid, ManifestUnverified, PaginationNumberInvalid, RangeInvalid, Unavailable, Unknown,
    ];

    private static readonly Dictionary<string, ErrorCode> ByCode = All.ToDictionary(code => code.Code, StringComparer.Ordinal);

    /// <summary>The entry for a code a registry sent; null for one this table does not know.</summary>
    public static ErrorCode? Find(string? code) => code is not null && ByCode.TryGetValue(code, out var found) ? found : null;

    /// <summary>The kind a client raises for an answer: the code's when known, else from the HTTP status.</summary>
    public static ErrorKind KindOf(string? code, int status) => Find(code)?.Kind ?? status switch
    {
        401 => ErrorKind.Unauthorized,
        403 => ErrorKind.PermissionDenied,
        404 => ErrorKind.NotFound,
        405 => ErrorKind.NotImplemented,
        409 => ErrorKind.Conflict,
        416 => ErrorKind.InvalidArgument,
        429 or 502 or 503 or 504 => ErrorKind.Unavailable,
        >= 400 and < 500 => ErrorKind.InvalidArgument,
        _ => ErrorKind.Internal,
    };
}
