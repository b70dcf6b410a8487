namespace Berth.Build.Copy;

/// <summary>
/// COPY and ADD, in two phases so that a build can compute a step's cache key before doing any
/// work. <see cref="PrepareAsync"/> resolves the sources (globs, symlinks, .dockerignore,
/// --exclude), downloads ADD URLs, recognises ADD archives and returns the digest of all it will
/// read; <see cref="ApplyAsync"/> writes the result into a root filesystem (the step's writable
/// overlay, already mounted). Neither mounts anything or runs a container.
/// <para>
/// The rules are docker's (BuildKit where the builders differ): a directory source copies its
/// contents; several sources need a destination ending in <c>/</c>; a destination ending in
/// <c>/</c> or naming an existing directory receives sources by their names, otherwise it is the
/// file's new name; missing parents are made 0755 (or the --chmod mode) owned by the --chown
/// owner, else root. Copied nodes keep their modes, mtimes, symlinks and hard links; owners
/// become 0:0 for the build context and stay as they are for a stage (--from) and an archive,
/// unless --chown is given. Destinations resolve inside the root (symlinks included), so a copy
/// never writes outside it.
/// </para>
/// </summary>
public sealed partial class Copier
{
    private readonly CopierOptions _options;
    private readonly Lazy<HttpClient> _http;

    public Copier(CopierOptions? options = null)
    {
        _options = options ?? new CopierOptions();
        _http = new Lazy<HttpClient>(() => _options.Http ?? new HttpClient());
    }
}
