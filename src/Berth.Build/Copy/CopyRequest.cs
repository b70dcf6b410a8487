using Berth.Build.Parser;

namespace Berth.Build.Copy;

/// <summary>
/// One COPY or ADD, after word expansion. <see cref="Sources"/> and <see cref="Destination"/> are
/// the instruction's words; words that name a here-document (<c>&lt;&lt;EOF</c>) may stay in
/// <see cref="Sources"/> and are skipped, the documents come from <see cref="Heredocs"/> with their
/// content used as given (the caller expands it when <see cref="Heredoc.Expand"/> says so).
/// </summary>
public sealed record CopyRequest
{
    public required CopySource Source { get; init; }

    /// <summary>Source paths or patterns; for ADD also http(s) URLs.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>The destination; relative to <see cref="WorkingDir"/> unless absolute. A trailing <c>/</c> means a directory.</summary>
    public required string Destination { get; init; }

    /// <summary>The image's working directory; "/" when it has none.</summary>
    public string WorkingDir { get; init; } = "/";

    /// <summary><c>--chown=user[:group]</c>, names or numbers; names are looked up in the destination root.</summary>
    public string? Chown { get; init; }

    /// <summary><c>--chmod=MODE</c>, octal (0 to 07777).</summary>
    public string? Chmod { get; init; }

    /// <summary><c>--exclude=PATTERN</c>: paths below each source, matched like <c>.dockerignore</c> lines.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary><c>--link</c>: accepted; the copy is the same as without it.</summary>
    public bool Link { get; init; }

    /// <summary><c>--parents</c>: keep each source's path (from the root, or from a <c>/./</c> pivot) under the destination.</summary>
    public bool Parents { get; init; }

    /// <summary>ADD rather than COPY: URLs are downloaded and local archives extracted.</summary>
    public bool IsAdd { get; init; }

    /// <summary>ADD <c>--checksum=sha256:…</c> for a URL source.</summary>
    public string? Checksum { get; init; }

    /// <summary>ADD <c>--keep-git-dir</c>; git sources are not supported, so it only takes part in the digest.</summary>
    public bool KeepGitDir { get; init; }

    public IReadOnlyList<Heredoc> Heredocs { get; init; } = [];
}
