using Berth.Build.Context;
using Berth.Build.Copy;
using Berth.Build.Instructions;
using Berth.Engine.Model;
using Berth.Errdefs;
using Berth.Linux.Files;
using Berth.Oci;

namespace Berth.Engine.Builds;

/// <summary>
/// The <c>RUN --mount</c>s of one step as its container gets them, BuildKit's semantics:
/// <list type="bullet">
/// <item>bind: a path of the context (its content digest joins the cache key) or of a stage's or
/// image's root (mounted for the step); read-only unless <c>rw</c>, and then writes go to a
/// scratch copy and are discarded;</item>
/// <item>cache: a directory under <c>ROOT/builds/cache-mounts</c> kept between builds, made with
/// the mount's mode and owner; <c>sharing=locked</c> and <c>private</c> take an flock on it for
/// the step, <c>shared</c> does not;</item>
/// <item>tmpfs: a fresh tmpfs (<c>size</c>);</item>
/// <item>secret: the <c>--secret</c>'s bytes in a private file bind-mounted read-only (and/or in
/// the variable <c>env</c>), never in the layer, the cache key or the history.</item>
/// </list>
/// </summary>
internal sealed class RunMounts
{
    private readonly BuildRun _run;
    private readonly IReadOnlyList<RunMount> _mounts;
    private readonly string _workdir;
    private readonly List<Func<ValueTask>> _release = [];

    private RunMounts(BuildRun run, IReadOnlyList<RunMount> mounts, string workdir, string keyText, IReadOnlyList<Digest> inputs)
    {
        _run = run;
        _mounts = mounts;
        _workdir = workdir;
        KeyText = keyText;
        Inputs = inputs;
    }

    public string KeyText { get; }

    public IReadOnlyList<Digest> Inputs { get; }

    /// <summary>Variables the secrets with <c>env=</c> set, filled by <see cref="PrepareAsync"/>.</summary>
    public List<string> SecretEnv { get; } = [];

    public static RunMounts Plan(BuildRun run, RunInstruction instruction, BuildState state)
    {
        IReadOnlyList<RunMount> mounts;
        try
        {
            mounts = RunMountParser.Parse(instruction);
        }
        catch (BerthException e)
        {
            throw Berth.Build.Parser.DockerfileError.At(instruction.Position, e.Message);
        }
        var inputs = new List<Digest>();
        foreach (var m in mounts)
        {
            if (m.Type == RunMountType.Ssh)
                throw Berth.Build.Parser.DockerfileError.At(instruction.Position, "RUN --mount=type=ssh: berth build has no --ssh forwarding");
            if (m.Type == RunMountType.Bind && m.From is null)
                inputs.Add(ContentHasher.Hash(run.Context, BuildContext.CleanRelative(m.Source ?? ".", m.Source ?? ".")));
        }
        var workdir = string.IsNullOrEmpty(state.Exec.WorkingDir) ? "/" : state.Exec.WorkingDir;
        return new RunMounts(run, mounts, workdir, string.Join(';', mounts.Select(m => m.ToString())), inputs);
    }

    public async Task<IReadOnlyList<MountSpec>?> PrepareAsync(CancellationToken ct)
    {
        if (_mounts.Count == 0)
            return null;
        var specs = new List<MountSpec>();
        foreach (var m in _mounts)
        {
            var target = m.Target is null ? null : BuildRun.JoinWorkdir(_workdir, m.Target);
            switch (m.Type)
            {
                case RunMountType.Bind:
                    specs.Add(await BindAsync(m, target!, ct).ConfigureAwait(false));
                    break;
                case RunMountType.Cache:
                    specs.Add(await CacheAsync(m, target!, ct).ConfigureAwait(false));
                    break;
                case RunMountType.Tmpfs:
                    specs.Add(new MountSpec { Type = "tmpfs", Target = target!, TmpfsOptions = m.Size is { } size ? new TmpfsOptions { SizeBytes = size } : null });
                    break;
                case RunMountType.Secret:
                    if (Secret(m, target) is { } secret)
                        specs.Add(secret);
                    break;
            }
        }
        return specs;
    }

    private async Task<MountSpec> BindAsync(RunMount m, string target, CancellationToken ct)
    {
        string root;
        if (m.From is null)
        {
            root = _run.Context.Directory;
        }
        else
        {
            var source = await _run.MountFromAsync(m.From, ct).ConfigureAwait(false);
            _release.Add(source.DisposeAsync);
            root = source.Rootfs;
        }
        var path = RootPath.Join(root, m.Source ?? "/");
        if (!Path.Exists(path))
            throw BerthException.NotFound($"RUN --mount=type=bind: source `{m.Source}` not found{(m.From is null ? " in the build context" : " in " + m.From)}");
        if (!m.ReadOnly)
        {
            // Writes to a rw bind are the step's only, as BuildKit discards them.
            var scratch = Path.Combine(_run.TempDirectory, "bind-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(scratch);
            using (var copy = await new Copier().PrepareAsync(new CopyRequest
            {
                Source = new RootfsCopySource(root),
                Sources = [m.Source ?? "/"],
                Destination = "/",
            }, ct).ConfigureAwait(false))
            {
                await new Copier().ApplyAsync(copy, scratch, ct).ConfigureAwait(false);
            }
            _release.Add(() =>
            {
                Directory.Delete(scratch, recursive: true);
                return ValueTask.CompletedTask;
            });
            path = scratch;
        }
        return new MountSpec { Type = "bind", Source = path, Target = target, ReadOnly = m.ReadOnly };
    }

    private async Task<MountSpec> CacheAsync(RunMount m, string target, CancellationToken ct)
    {
        var id = m.Id ?? target;
        var dir = Path.Combine(_run.CacheMountRoot, Digest.Of(System.Text.Encoding.UTF8.GetBytes(id)).Encoded);
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(_run.CacheMountRoot);
            var temp = dir + ".tmp-" + Guid.NewGuid().ToString("N");
            Directory.CreateDirectory(temp);
            File.SetUnixFileMode(temp, (UnixFileMode)(m.Mode ?? 0x1ed));
            Lchown(temp, m.Uid ?? 0, m.Gid ?? 0);
            try
            {
                Directory.Move(temp, dir);
            }
            catch (IOException) when (Directory.Exists(dir))
            {
                Directory.Delete(temp); // another build made it first
            }
        }
        if (m.Sharing != RunMountSharing.Shared)
        {
            var held = await FileLock.AcquireAsync(dir + ".lock", ct).ConfigureAwait(false);
            _release.Add(() =>
            {
                held.Dispose();
                return ValueTask.CompletedTask;
            });
        }
        return new MountSpec { Type = "bind", Source = dir, Target = target, ReadOnly = m.ReadOnly };
    }

    private MountSpec? Secret(RunMount m, string? target)
    {
        var id = m.Id!;
        var bytes = _run.Secrets.TryRead(id);
        if (bytes is null)
            return m.Required ? throw Berth.Build.Secrets.SecretStore.NotFound(id) : null;
        if (m.Env is { } env)
            SecretEnv.Add(env + "=" + System.Text.Encoding.UTF8.GetString(bytes));
        if (target is null)
            return null;
        var dir = Path.Combine(_run.TempDirectory, "secret-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var file = Path.Combine(dir, "secret");
        using (var stream = new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            stream.Write(bytes);
        File.SetUnixFileMode(file, (UnixFileMode)(m.Mode ?? 0x100));
        Lchown(file, m.Uid ?? 0, m.Gid ?? 0);
        _release.Add(() =>
        {
            Directory.Delete(dir, recursive: true);
            return ValueTask.CompletedTask;
        });
        return new MountSpec { Type = "bind", Source = file, Target = target, ReadOnly = true };
    }

    private static void Lchown(string path, uint uid, uint gid)
    {
        if (Berth.Linux.Interop.Libc.lchown(path, uid, gid) != 0)
            throw Berth.Linux.Errno.Last($"lchown `{path}`");
    }

    public async ValueTask ReleaseAsync()
    {
        for (var i = _release.Count - 1; i >= 0; i--)
            await _release[i]().ConfigureAwait(false);
        _release.Clear();
    }
}
