namespace Berth.Build.Copy;

/// <summary>
/// Where a COPY or ADD reads its sources: the build context (<see cref="ContextCopySource"/>) or
/// the root filesystem of another stage or image (<see cref="RootfsCopySource"/>, COPY --from).
/// </summary>
public abstract record CopySource;
