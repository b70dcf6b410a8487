namespace Berth.IntegrationTests.Build;

/// <summary>One build for a builder to run: the context directory (the Dockerfile is inside it) and docker's build flags.</summary>
public sealed record BuildRequest(
    string Context,
    string Dockerfile,
    string Tag,
    IReadOnlyDictionary<string, string> BuildArgs,
    string? Target,
    bool BuildKit);
