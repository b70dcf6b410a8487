using Berth.Oci;

namespace Berth.Build.Copy;

/// <summary>
/// A copy whose sources are resolved, downloaded and hashed (<see cref="Copier.PrepareAsync"/>),
/// ready to be applied to a root filesystem (<see cref="Copier.ApplyAsync"/>) any number of times.
/// Disposing it removes what it downloaded.
/// </summary>
public sealed class PreparedCopy : IDisposable
{
    internal PreparedCopy(CopyRequest request, string destination, bool destinationIsDirectory, uint? mode,
        IReadOnlyList<PlanItem> items, string? tempDirectory, Digest inputDigest)
    {
        Request = request;
        Destination = destination;
        DestinationIsDirectory = destinationIsDirectory;
        Mode = mode;
        Items = items;
        TempDirectory = tempDirectory;
        InputDigest = inputDigest;
    }

    public CopyRequest Request { get; }

    /// <summary>
    /// The digest of everything the copy reads: the request's destination, working directory,
    /// flags, and each source's names, types, modes, contents and link targets (owners only where
    /// they are kept, as for COPY --from). Times are not in it: the same inputs give the same digest.
    /// </summary>
    public Digest InputDigest { get; }

    /// <summary>The destination as an absolute, clean path inside the container.</summary>
    public string Destination { get; }

    /// <summary>Whether the destination was written as a directory (a trailing <c>/</c>, or <c>.</c>).</summary>
    public bool DestinationIsDirectory { get; }

    internal uint? Mode { get; }

    internal IReadOnlyList<PlanItem> Items { get; }

    internal string? TempDirectory { get; }

    public void Dispose()
    {
        if (TempDirectory is not null && Directory.Exists(TempDirectory))
        {
            Directory.Delete(TempDirectory, recursive: true);
        }
    }
}
