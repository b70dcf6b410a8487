namespace Berth.Distribution.Routes;

/// <summary>
/// One matched request path: which endpoint, the repository (still unvalidated: the server answers
/// NAME_INVALID for a bad one, so the route must match first), and the last path segment — the
/// manifest reference, the blob digest, or the upload session — when the endpoint has one.
/// </summary>
public readonly record struct Route(RouteName Name, string Repository, string? Argument);
