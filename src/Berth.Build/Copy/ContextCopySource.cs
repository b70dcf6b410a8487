using Berth.Build.Context;

namespace Berth.Build.Copy;

/// <summary>
/// Sources from the build context. Its <c>.dockerignore</c> hides paths, and owners are not
/// carried over: what comes from the context is 0:0 unless --chown says otherwise (BuildKit resets
/// them when it receives the context).
/// </summary>
public sealed record ContextCopySource(BuildContext Context) : CopySource;
