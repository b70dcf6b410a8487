using System.Text.Json.Nodes;

namespace Berth.IntegrationTests.Build;

/// <summary>
/// The differences between builders that are legitimate, each with its reason and as narrow as
/// it can be (one builder, one case, one path or field where possible). A rule is applied to
/// both snapshots of a comparison when one of the two is its builder (<c>*</c>: every
/// comparison), so the other side is judged on what remains. Where docker and buildah disagree
/// the rule is buildah's, and berth is held to docker. Everything not listed is compared.
/// </summary>
public static class KnownDifferences
{
    /// <summary>One legitimate difference: whose it is, where, why, and the rewrite that removes it.</summary>
    public sealed record Rule(string Builder, string? Case, string Reason, Func<ImageSnapshot, ImageSnapshot> Apply);

    public static readonly IReadOnlyList<Rule> Rules =
    [
        new("*", null,
            "a healthcheck whose Test is [\"NONE\"] is off whatever its other fields say; docker's commit fills the zero fields of " +
            "HEALTHCHECK NONE from the parent's healthcheck (Interval 30s here), buildah does not",
            s => MapConfig(s, (field, value) => field == "Healthcheck" && IsNone(value) ? "{\"Test\":[\"NONE\"]}" : value)),
        new("buildah", null,
            "buildah labels every image it builds with its own version (io.buildah.version)",
            s => MapConfig(s, (field, value) => field == "Labels" && JsonNode.Parse(value) is JsonObject labels && labels.Remove("io.buildah.version")
                ? ImageSnapshot.Canonical(labels) : value)),
        new("buildah", null,
            "buildah's RUN leaves behind the mount points it made for the container's /etc/hostname (an empty file) and /run " +
            "(an empty directory) when the base image has neither; docker mounts them over an init layer it does not commit",
            s => s with
            {
                Files = s.Files.Where(f => !(f.Path == "/etc/hostname" && f.Type == "file" && f.Size == 0)
                    && !(f.Path == "/run" && f.Type == "dir" && !s.Files.Any(g => g.Path.StartsWith("/run/", StringComparison.Ordinal)))).ToList(),
            }),
        new("buildah", null,
            "buildah 1.28 keeps an EXPOSE range as one key (\"8000-8002/tcp\"); docker expands it to one key per port, as the " +
            "image spec's ExposedPorts (a set of port/protocol) needs",
            s => MapConfig(s, (field, value) => field == "ExposedPorts" ? ExpandPortRanges(value) : value)),
        new("buildah", "copy",
            "buildah 1.28's COPY drops the setgid bit of directories it copies from the context (tree/d/nested is 2750); docker keeps it",
            s => s with
            {
                Files = s.Files.Select(f => f.Type == "dir" && f.Path.EndsWith("/d/nested", StringComparison.Ordinal) ? f with { Mode = f.Mode & ~0x400 } : f).ToList(),
            }),
        new("buildah", "env-arg",
            "a WORKDIR made after USER: docker's legacy builder creates it as root, buildah as the USER (nobody)",
            s => s with { Files = s.Files.Select(f => f.Path == "/w/1/sub-2" ? f with { Uid = -1, Gid = -1 } : f).ToList() }),
        new("*", "mount",
            "BuildKit leaves the empty directories it made as mount points for RUN --mount=type=tmpfs and type=cache targets, " +
            "buildah removes them: the peers disagree, so either is accepted",
            s => s with { Files = s.Files.Where(f => !(f.Path is "/scratch" or "/var/cache/parity" && f.Type == "dir")).ToList() }),
        // Last: the rules above may leave a field empty (Labels once io.buildah.version is gone).
        new("*", null,
            "an empty list, map or string in the config means the same as an absent field to every engine (they test the length); " +
            "buildah writes Entrypoint [], Volumes {}, OnBuild [], User \"\" where docker leaves the field out",
            s => MapConfig(s, (_, value) => value is "[]" or "{}" or "\"\"" ? "null" : value)),
    ];

    /// <summary>Both snapshots with the rules that concern them applied, and a note for each rule that changed something.</summary>
    public static (ImageSnapshot A, ImageSnapshot B, List<string> Notes) Apply(string parityCase, ImageSnapshot a, ImageSnapshot b)
    {
        var notes = new List<string>();
        foreach (var rule in Rules)
        {
            if (rule.Case is { } only && only != parityCase)
                continue;
            if (rule.Builder != "*" && rule.Builder != a.Builder && rule.Builder != b.Builder)
                continue;
            var (newA, newB) = (rule.Apply(a), rule.Apply(b));
            if (SnapshotDiff.Compare(a, newA) is not null || SnapshotDiff.Compare(b, newB) is not null)
                notes.Add($"[{rule.Builder}{(rule.Case is null ? "" : ", " + rule.Case)}] {rule.Reason}");
            (a, b) = (newA, newB);
        }
        return (a, b, notes);
    }

    private static ImageSnapshot MapConfig(ImageSnapshot snapshot, Func<string, string, string> map) =>
        snapshot with { Config = snapshot.Config.ToDictionary(p => p.Key, p => map(p.Key, p.Value), StringComparer.Ordinal) };

    private static bool IsNone(string healthcheck) =>
        JsonNode.Parse(healthcheck)?["Test"] is JsonArray test && test.Count == 1 && test[0]?.GetValue<string>() == "NONE";

    private static string ExpandPortRanges(string value)
    {
        if (JsonNode.Parse(value) is not JsonObject ports)
            return value;
        var expanded = new JsonObject();
        foreach (var (key, _) in ports)
        {
            var (range, protocol) = key.IndexOf('/') is var slash and >= 0 ? (key[..slash], key[slash..]) : (key, "/tcp");
            var dash = range.IndexOf('-');
            if (dash < 0 || !int.TryParse(range[..dash], out var first) || !int.TryParse(range[(dash + 1)..], out var last))
            {
                expanded[key] = new JsonObject();
                continue;
            }
            for (var port = first; port <= last; port++)
                expanded[$"{port}{protocol}"] = new JsonObject();
        }
        return ImageSnapshot.Canonical(expanded);
    }
}
