namespace Berth.Errdefs;

/// <summary>
/// The class of a failure, after containerd's errdefs. Library code says what went wrong in
/// these terms; only the edge (a CLI exit code, an HTTP status, a registry error code) maps a
/// kind to something a caller outside Berth sees.
/// </summary>
public enum ErrorKind
{
    Unknown,
    NotFound,
    AlreadyExists,
    InvalidArgument,
    FailedPrecondition,
    Conflict,
    Unauthorized,
    PermissionDenied,
    Unavailable,
    NotImplemented,
    Internal,
}
