using System.Diagnostics.CodeAnalysis;
using Berth.Errdefs;

namespace Berth.Oci.References;

/// <summary>
/// An image reference, parsed and normalised as docker does it (distribution/reference
/// <c>ParseNormalizedNamed</c>): <c>busybox</c> is <c>docker.io/library/busybox</c>,
/// <c>user/app</c> is <c>docker.io/user/app</c>, <c>index.docker.io</c> becomes
/// <c>docker.io</c>. The first path component is a registry host when it contains a <c>.</c> or
/// a <c>:</c>, is <c>localhost</c>, or has an uppercase letter; otherwise the name is on Docker
/// Hub. A reference may carry a tag, a digest, both or neither; <see cref="WithDefaultTag"/>
/// adds <c>latest</c> as <c>docker pull</c> does. Bad text is refused with InvalidArgument in
/// docker's words (<c>invalid reference format</c>, <c>repository name must be lowercase</c>).
/// </summary>
public sealed record Reference
{
    public const string DefaultDomain = "docker.io";
    public const string DefaultTag = "latest";

    /// <summary>The longest path (the name without its domain), as distribution counts it.</summary>
    public const int MaxPathLength = 255;

    public const int MaxTagLength = 128;

    private const string LegacyDefaultDomain = "index.docker.io";
    private const string OfficialRepoPrefix = "library/";

    /// <summary>
    /// Longer than any real reference (a DNS name, a 255-character path, a 128-character tag and
    /// a sha512 digest fit in half of it). Refusing longer text up front bounds the regex's
    /// backtracking, which grows with the square of the length on crafted input.
    /// </summary>
    public const int MaxTextLength = 2048;

    private Reference(string domain, string path, string? tag, Digest? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host, with its port if any: <c>docker.io</c>, <c>localhost:5000</c>.</summary>
    public string Domain { get; }

    /// <summary>The repository within the registry: <c>library/busybox</c>.</summary>
    public string Path { get; }

    public string? Tag { get; }

    public Digest? Digest { get; }

    /// <summary>Domain and path: <c>docker.io/library/busybox</c>.</summary>
    public string Name => Domain + "/" + Path;

    /// <summary>
    /// The name as docker shows it: without <c>docker.io/</c>, and without <c>library/</c> for an
    /// official image (<c>busybox</c>, <c>user/app</c>, <c>ghcr.io/x/y</c>).
    /// </summary>
    public string FamiliarName
    {
        get
        {
            if (Domain != DefaultDomain)
                return Name;
            if (Path.StartsWith(OfficialRepoPrefix, StringComparison.Ordinal) && !Path.AsSpan(OfficialRepoPrefix.Length).Contains('/'))
                return Path[OfficialRepoPrefix.Length..];
            return Path;
        }
    }

    /// <summary>The whole reference as docker shows it: <c>busybox:latest</c>.</summary>
    public string Familiar => FamiliarName + Suffix;

    /// <summary>True when the reference names a repository only, with no tag and no digest.</summary>
    public bool IsNameOnly => Tag is null && Digest is null;

    /// <summary>The canonical form: <c>docker.io/library/busybox:latest@sha256:…</c>.</summary>
    public override string ToString() => Name + Suffix;

    private string Suffix => (Tag is null ? "" : ":" + Tag) + (Digest is { } digest ? "@" + digest : "");

    /// <summary>Parses and normalises <paramref name="text"/>; adds no default tag.</summary>
    public static Reference Parse(string text)
    {
        var reference = ParseCore(text, out var error);
        // Echo at most a screenful of what was given: the text may be anything a client sent.
        var shown = text.Length <= 300 ? text : text[..300] + "…";
        return reference ?? throw BerthException.InvalidArgument($"parse reference `{shown}`: {error}");
    }

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Reference? reference)
    {
        reference = text is null ? null : ParseCore(text, out _);
        return reference is not null;
    }

    /// <summary>
    /// Parses as <c>docker pull</c> and <c>docker run</c> do (distribution's
    /// <c>ParseDockerRef</c>): a reference with both a tag and a digest keeps only the digest,
    /// and one with neither gets <c>latest</c>.
    /// </summary>
    public static Reference ParseDockerRef(string text)
    {
        var reference = Parse(text);
        return reference.Digest is not null ? reference.WithoutTag() : reference.WithDefaultTag();
    }

    /// <summary>This reference, with tag <c>latest</c> if it has neither tag nor digest.</summary>
    public Reference WithDefaultTag() => IsNameOnly ? new(Domain, Path, DefaultTag, null) : this;

    public Reference WithTag(string tag)
    {
        if (!IsValidTag(tag))
            throw BerthException.InvalidArgument($"tag `{tag}`: invalid tag format");
        return new(Domain, Path, tag, Digest);
    }

    public Reference WithDigest(Digest digest) => new(Domain, Path, Tag, digest);

    public Reference WithoutTag() => new(Domain, Path, null, Digest);

    /// <summary>The repository alone, without tag or digest.</summary>
    public Reference WithNameOnly() => new(Domain, Path, null, null);

    /// <summary>True for a tag docker accepts: <c>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}</c>.</summary>
    public static bool IsValidTag([NotNullWhen(true)] string? tag) =>
        tag is { Length: > 0 and <= MaxTagLength } && ReferenceGrammar.AnchoredTag().IsMatch(tag);

    /// <summary>
    /// True for a repository path as a registry receives it (no domain): lowercase components
    /// separated by <c>/</c>, at most <see cref="MaxPathLength"/> characters.
    /// </summary>
    public static bool IsValidPath([NotNullWhen(true)] string? path) =>
        path is { Length: > 0 and <= MaxPathLength } && ReferenceGrammar.AnchoredPath().IsMatch(path);

    private static Reference? ParseCore(string text, out string? error)
    {
        error = null;
        if (text.Length > MaxTextLength)
        {
            error = $"invalid reference format: longer than {MaxTextLength} characters";
            return null;
        }
        if (ReferenceGrammar.Identifier().IsMatch(text))
        {
            error = $"invalid repository name ({text}), cannot specify 64-byte hexadecimal strings";
            return null;
        }
        var (domain, remainder) = SplitDockerDomain(text);
        var colon = remainder.IndexOf(':');
        var remote = colon >= 0 ? remainder[..colon] : remainder;
        if (remote.ToLowerInvariant() != remote)
        {
            error = $"invalid reference format: repository name ({remote}) must be lowercase";
            return null;
        }
        return ParseCanonical(domain + "/" + remainder, out error);
    }

    /// <summary>distribution's <c>Parse</c>, on text that already has its domain.</summary>
    private static Reference? ParseCanonical(string text, out string? error)
    {
        error = null;
        var match = ReferenceGrammar.Reference().Match(text);
        if (!match.Success)
        {
            error = ReferenceGrammar.Reference().IsMatch(text.ToLowerInvariant())
                ? "repository name must be lowercase"
                : "invalid reference format";
            return null;
        }
        var name = ReferenceGrammar.AnchoredName().Match(match.Groups[1].Value);
        var domain = name.Groups[1].Value;
        var path = name.Groups[2].Value;
        if (path.Length > MaxPathLength)
        {
            error = $"repository name must not be more than {MaxPathLength} characters";
            return null;
        }
        var tag = match.Groups[2].Success ? match.Groups[2].Value : null;
        Digest? digest = null;
        if (match.Groups[3].Success)
        {
            if (!Oci.Digest.TryParse(match.Groups[3].Value, out var parsed))
            {
                error = $"invalid digest format: `{match.Groups[3].Value}` is not a sha256 or sha512 digest in lowercase hex";
                return null;
            }
            digest = parsed;
        }
        return new Reference(domain, path, tag, digest);
    }

    /// <summary>
    /// Splits off the registry host as docker does: the first component is a host when it is
    /// <c>localhost</c>, contains <c>.</c> or <c>:</c>, or has uppercase (which a path may not);
    /// otherwise the whole text is a Docker Hub path, under <c>library/</c> when it has no
    /// <c>/</c>. A single component is never a host: <c>localhost:5000</c> alone is the image
    /// <c>library/localhost</c> with tag <c>5000</c>, as in docker.
    /// </summary>
    private static (string Domain, string Remainder) SplitDockerDomain(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0)
            return (DefaultDomain, OfficialRepoPrefix + text);
        var first = text[..slash];
        var rest = text[(slash + 1)..];
        string domain, remainder;
        if (first == "localhost" || first.Contains('.') || first.Contains(':') || first.ToLowerInvariant() != first)
            (domain, remainder) = (first, rest);
        else
            (domain, remainder) = (DefaultDomain, text);
        if (domain == LegacyDefaultDomain)
            domain = DefaultDomain;
        if (domain == DefaultDomain && !remainder.Contains('/'))
            remainder = OfficialRepoPrefix + remainder;
        return (domain, remainder);
    }
}
