using System.Text;

namespace Berth.Distribution.Routes;

/// <summary>
/// The distribution spec's URL space, in one place for both halves (distribution's v2 route
/// table): <see cref="Build"/> for the client, <see cref="TryMatch"/> for the server. Repository
/// names contain slashes, so a path is read from its end: the resource word (<c>manifests</c>,
/// <c>blobs</c>, <c>blobs/uploads</c>, <c>tags/list</c>, <c>referrers</c>) is found last, and
/// everything between <c>/v2/</c> and it is the name.
/// </summary>
public static class RouteTable
{
    public const string Prefix = "/v2/";

    /// <summary>The path of an endpoint: <c>/v2/library/busybox/manifests/latest</c>.</summary>
    public static string Build(RouteName name, string repository = "", string? argument = null)
    {
        return name switch
        {
            RouteName.Base => Prefix,
            RouteName.Catalog => Prefix + "_catalog",
            RouteName.Tags => Prefix + repository + "/tags/list",
            RouteName.Manifest => Prefix + repository + "/manifests/" + Required(argument, name),
            RouteName.Blob => Prefix + repository + "/blobs/" + Required(argument, name),
            RouteName.BlobUploads => Prefix + repository + "/blobs/uploads/",
            RouteName.BlobUpload => Prefix + repository + "/blobs/uploads/" + Required(argument, name),
            RouteName.Referrers => Prefix + repository + "/referrers/" + Required(argument, name),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    /// <summary>
    /// Matches a request path (without its query). False when the path is not one of the spec's:
    /// the server's 404 with no error code, as distribution answers an unknown URL.
    /// </summary>
    public static bool TryMatch(string path, out Route route)
    {
        route = default;
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            if (path == "/v2")
            {
                route = new Route(RouteName.Base, "", null);
                return true;
            }
            return false;
        }
        var rest = path.AsSpan(Prefix.Length);
        if (rest.IsEmpty)
        {
            route = new Route(RouteName.Base, "", null);
            return true;
        }
        if (rest.SequenceEqual("_catalog"))
        {
            route = new Route(RouteName.Catalog, "", null);
            return true;
        }
        if (rest.EndsWith("/tags/list", StringComparison.Ordinal))
            return Named(RouteName.Tags, rest[..^"/tags/list".Length], null, out route);
        if (rest.EndsWith("/blobs/uploads/", StringComparison.Ordinal) || rest.EndsWith("/blobs/uploads", StringComparison.Ordinal))
        {
            var end = rest.LastIndexOf("/blobs/uploads", StringComparison.Ordinal);
            return Named(RouteName.BlobUploads, rest[..end], null, out route);
        }

        // The remaining endpoints end in one segment after a resource word.
        var slash = rest.LastIndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1)
            return false;
        var argument = rest[(slash + 1)..].ToString();
        var head = rest[..slash];
        if (head.EndsWith("/blobs/uploads", StringComparison.Ordinal))
            return Named(RouteName.BlobUpload, head[..^"/blobs/uploads".Length], argument, out route);
        if (head.EndsWith("/manifests", StringComparison.Ordinal))
            return Named(RouteName.Manifest, head[..^"/manifests".Length], argument, out route);
        if (head.EndsWith("/blobs", StringComparison.Ordinal))
            return Named(RouteName.Blob, head[..^"/blobs".Length], argument, out route);
        if (head.EndsWith("/referrers", StringComparison.Ordinal))
            return Named(RouteName.Referrers, head[..^"/referrers".Length], argument, out route);
        return false;
    }

    private static bool Named(RouteName name, ReadOnlySpan<char> repository, string? argument, out Route route)
    {
        route = default;
        if (repository.IsEmpty)
            return false;
        route = new Route(name, repository.ToString(), argument);
        return true;
    }

    private static string Required(string? argument, RouteName name) =>
        string.IsNullOrEmpty(argument) ? throw new ArgumentException($"route {name} needs an argument", nameof(argument)) : argument;

    /// <summary>Appends query parameters, each escaped: <c>?n=10&amp;last=b</c>. Null values are left out.</summary>
    public static string WithQuery(string path, params (string Key, string? Value)[] query)
    {
        var builder = new StringBuilder(path);
        var first = !path.Contains('?');
        foreach (var (key, value) in query)
        {
            if (value is null)
                continue;
            builder.Append(first ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }
        return builder.ToString();
    }
}
