namespace Berth.Build.Planning;

/// <summary>A base image's <c>Env</c> (KEY=VALUE) and <c>OnBuild</c> triggers (each an instruction as written).</summary>
public sealed record BaseImageFacts(IReadOnlyList<string> Env, IReadOnlyList<string> OnBuild);
