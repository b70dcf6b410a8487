namespace Berth.Build.Instructions;

/// <summary>The <c>type=</c> of a <c>RUN --mount</c>, after buildkit; <see cref="Bind"/> when none is given.</summary>
public enum RunMountType
{
    /// <summary>A read-only (unless <c>rw</c>) view of the build context or of <c>from=</c>'s stage or image; writes are discarded.</summary>
    Bind,

    /// <summary>A persistent directory kept between builds under <c>id</c>, shared per <see cref="RunMountSharing"/>.</summary>
    Cache,

    /// <summary>An empty tmpfs, optionally limited to <c>size</c> bytes.</summary>
    Tmpfs,

    /// <summary>A secret given to the build with <c>--secret</c>, as a file (and/or an environment variable with <c>env=</c>).</summary>
    Secret,

    /// <summary>An SSH agent socket forwarded with <c>--ssh</c>.</summary>
    Ssh,
}
