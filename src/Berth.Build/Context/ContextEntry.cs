namespace Berth.Build.Context;

/// <summary>One path in a build context, as a walk of it finds it.</summary>
/// <param name="RelativePath">Forward slashes, relative to the context root, never "." .</param>
/// <param name="FullPath">The path on this machine.</param>
/// <param name="Stat">Its lstat (symlinks are not followed).</param>
public sealed record ContextEntry(string RelativePath, string FullPath, FileStat Stat);
