namespace Berth.Build.Instructions;

/// <summary>
/// How concurrent builds use one cache mount (buildkit's <c>sharing=</c>): <see cref="Shared"/>
/// lets them all write it at once, <see cref="Private"/> gives a second user a fresh copy,
/// <see cref="Locked"/> makes it wait until the first is done.
/// </summary>
public enum RunMountSharing
{
    Shared,
    Private,
    Locked,
}
