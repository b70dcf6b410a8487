using System.Globalization;
using Berth.Distribution.Routes;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Handlers;

/// <summary>
/// The <c>n</c>/<c>last</c> pagination of tags/list and _catalog: entries after <c>last</c> (ordinal
/// order), at most <c>n</c>, and a <c>Link: &lt;…&gt;; rel="next"</c> header when more remain.
/// </summary>
internal static class Pagination
{
    /// <summary>The most entries one page returns, whatever <c>n</c> asks.</summary>
    public const int MaxPage = 10_000;

    /// <summary>Reads <c>n</c>; false when it is present and not a number from 0 to <see cref="MaxPage"/>.</summary>
    public static bool TryReadN(HttpRequest request, out int? n)
    {
        n = null;
        var text = request.Query["n"].ToString();
        if (text.Length == 0)
            return true;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > MaxPage)
            return false;
        n = value;
        return true;
    }

    public static List<string> Page(IReadOnlyList<string> sorted, string? last, int? n, out bool more)
    {
        var start = 0;
        if (!string.IsNullOrEmpty(last))
        {
            while (start < sorted.Count && string.CompareOrdinal(sorted[start], last) <= 0)
                start++;
        }
        var count = Math.Min(n ?? MaxPage, sorted.Count - start);
        more = start + count < sorted.Count;
        return sorted.Skip(start).Take(count).ToList();
    }

    public static void Link(HttpResponse response, string path, int n, string lastReturned) =>
        response.Headers["Link"] = "<" + RouteTable.WithQuery(path, ("n", n.ToString(CultureInfo.InvariantCulture)), ("last", lastReturned)) + ">; rel=\"next\"";
}
