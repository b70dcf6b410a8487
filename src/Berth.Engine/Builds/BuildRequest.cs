using Berth.Build.Secrets;

namespace Berth.Engine.Builds;

/// <summary>
/// What <c>berth build</c> asks for. <see cref="ContextDirectory"/> is the build context on disk
/// (a context given as a tar on stdin is unpacked by the caller first); the Dockerfile's text is
/// given, read by the caller from <c>-f</c>, the context or stdin. <see cref="DockerfilePath"/>
/// names it for <c>&lt;Dockerfile&gt;.dockerignore</c> and messages.
/// </summary>
public sealed record BuildRequest
{
    public required string ContextDirectory { get; init; }

    public required string DockerfileText { get; init; }

    /// <summary>The Dockerfile's path (null when it came from stdin).</summary>
    public string? DockerfilePath { get; init; }

    /// <summary>The names to give the result (<c>-t</c>), as typed.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public string? Target { get; init; }

    /// <summary><c>--no-cache</c>: run every step; the results still go into the cache.</summary>
    public bool NoCache { get; init; }

    /// <summary>docker build --pull: pull every FROM and COPY --from image first, even when the store has it (else only the missing ones are pulled).</summary>
    public bool Pull { get; init; }

    /// <summary><c>--label</c>: set on the final image, after the Dockerfile's own.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary><c>--secret</c>s, mounted by <c>RUN --mount=type=secret</c> and never stored in an image or the cache.</summary>
    public SecretStore Secrets { get; init; } = new([]);

    /// <summary>
    /// The build epoch in Unix seconds: every timestamp the build writes (layer mtimes are
    /// clamped to it, the config's created and history times are it). SOURCE_DATE_EPOCH when
    /// given; null means 0, so the same inputs always give the same image.
    /// </summary>
    public long? SourceDateEpoch { get; init; }

    /// <summary><c>--network</c>: the default network mode of RUN steps ("default", "none", "host").</summary>
    public string Network { get; init; } = "default";
}
