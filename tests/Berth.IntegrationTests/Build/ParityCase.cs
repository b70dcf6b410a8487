namespace Berth.IntegrationTests.Build;

/// <summary>
/// One fixture build: tests/fixtures/build/NAME holds its Dockerfile and context (and a
/// setup.sh, run in a copy of the context, for the modes, owners and links git does not keep).
/// The image is tagged <c>parity-NAME</c> in every builder.
/// </summary>
public sealed record ParityCase(string Name)
{
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    public string? Target { get; init; }

    /// <summary>
    /// The docker side builds with BuildKit (dockerd 20.10's built-in one) instead of the
    /// legacy builder, for syntax the legacy builder refuses (RUN --mount, COPY --chmod).
    /// </summary>
    public bool BuildKit { get; init; }

    /// <summary>
    /// The fixture serves the context's served/ directory over HTTP on 127.0.0.1 and passes
    /// its URL as the build arg SERVER (for ADD of a URL).
    /// </summary>
    public bool ServesHttp { get; init; }

    /// <summary>A case whose image this one builds FROM, built first by the same builder.</summary>
    public string? Requires { get; init; }

    public string Tag => $"parity-{Name}";

    public override string ToString() => Name;
}
