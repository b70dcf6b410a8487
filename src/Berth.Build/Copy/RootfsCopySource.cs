namespace Berth.Build.Copy;

/// <summary>
/// Sources from a directory that is another stage's or an image's root filesystem (COPY --from).
/// Symlinks in a source path resolve inside <paramref name="RootDirectory"/>, as they would in a
/// container of that stage; owners are kept unless --chown says otherwise.
/// </summary>
public sealed record RootfsCopySource(string RootDirectory) : CopySource;
