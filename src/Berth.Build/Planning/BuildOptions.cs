namespace Berth.Build.Planning;

/// <summary>
/// What <c>berth build</c> was asked for: <c>--target</c>, <c>--build-arg</c>s, and the platforms
/// as <c>os/arch[/variant]</c> strings. A null platform means the build platform (the host).
/// </summary>
public sealed record BuildOptions
{
    public string? Target { get; init; }

    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The platform the build runs on (BUILDPLATFORM); null for the host's.</summary>
    public string? BuildPlatform { get; init; }

    /// <summary>The platform built for (TARGETPLATFORM, <c>--platform</c>); null for the build platform.</summary>
    public string? Platform { get; init; }

    /// <summary>
    /// What the planner needs to know of a base image (FROM IMAGE): its environment, which later
    /// instructions expand against as docker's do, and its ONBUILD triggers, which run first in the
    /// stage. Called with the expanded reference; null (or a null result) means nothing is known.
    /// </summary>
    public Func<string, BaseImageFacts?>? BaseImage { get; init; }
}
