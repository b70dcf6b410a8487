using Berth.Linux.Files;
using Berth.Build.Context;
using Berth.Build.Copy;
using Berth.Build.Instructions;
using Berth.Build.Planning;
using Berth.Errdefs;
using Berth.Images.Mutate;
using Berth.Oci;

namespace Berth.Engine.Builds;

internal sealed partial class BuildRun
{
    /// <summary>A container that only mounts its snapshot still needs a command on record.</summary>
    private static readonly IReadOnlyList<string> NoCommand = ["/berth-build-no-command"];

    /// <summary>WORKDIR: the directory is created (root-owned, 0755) when the state does not have it; the config change follows.</summary>
    private PreparedStep PrepareWorkdir(BuildState state, PlannedStep planned, WorkdirInstruction workdir)
    {
        var path = JoinWorkdir(state.Exec.WorkingDir, workdir.Path);
        async Task<NewLayer?> ExecuteAsync(BuildStep step, Digest key, CancellationToken ct)
        {
            var container = await StepContainer.CreateAsync(Engine, state, StepConfig(state, NoCommand, []), new Model.HostConfig(), ct).ConfigureAwait(false);
            await using (container.ConfigureAwait(false))
            {
                container.Mount();
                Directory.CreateDirectory(RootPath.Join(container.Rootfs, path));
                return await CommitAsync(container, [], key, ct).ConfigureAwait(false);
            }
        }
        return new PreparedStep("WORKDIR " + path, [], "WORKDIR " + path, ExecuteAsync);
    }

    /// <summary>
    /// COPY and ADD: the Copier resolves the sources (the context, or the root of another stage
    /// or image, mounted for the step) and digests them; on a miss it writes them into the step's
    /// mounted snapshot.
    /// </summary>
    private async Task<PreparedStep> PrepareCopyAsync(BuildState state, PlannedStage stage, PlannedStep planned, CancellationToken ct)
    {
        var (request, from) = planned.Instruction switch
        {
            CopyInstruction c => (new CopyRequest
            {
                Source = new ContextCopySource(_context),
                Sources = c.Sources,
                Destination = c.Destination,
                Chown = c.Chown,
                Chmod = c.Chmod,
                Excludes = c.Excludes,
                Link = c.Link,
                Parents = c.Parents,
                Heredocs = c.Heredocs,
            }, c.From),
            AddInstruction a => (new CopyRequest
            {
                Source = new ContextCopySource(_context),
                Sources = a.Sources,
                Destination = a.Destination,
                Chown = a.Chown,
                Chmod = a.Chmod,
                Excludes = a.Excludes,
                Link = a.Link,
                IsAdd = true,
                Checksum = a.Checksum,
                KeepGitDir = a.KeepGitDir,
                Heredocs = a.Heredocs,
            }, (string?)null),
            _ => throw BerthException.Internal("not a copy"),
        };
        request = request with { WorkingDir = string.IsNullOrEmpty(state.Exec.WorkingDir) ? "/" : state.Exec.WorkingDir };
        StepContainer? source = null;
        PreparedCopy prepared;
        try
        {
            if (from is not null)
            {
                source = await MountSourceAsync(from, ct).ConfigureAwait(false);
                request = request with { Source = new RootfsCopySource(source.Rootfs) };
            }
            prepared = await new Copier(new CopierOptions { TempDirectory = TempRoot, Hashes = _service.Hashes }).PrepareAsync(request, ct).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            if (source is not null)
                await source.DisposeAsync().ConfigureAwait(false);
            throw Berth.Build.Parser.DockerfileError.At(planned.Instruction.Position, e.Message);
        }

        async Task<NewLayer?> ExecuteAsync(BuildStep step, Digest key, CancellationToken token)
        {
            var container = await StepContainer.CreateAsync(Engine, state, StepConfig(state, NoCommand, []), new Model.HostConfig(), token).ConfigureAwait(false);
            await using (container.ConfigureAwait(false))
            {
                container.Mount();
                await new Copier().ApplyAsync(prepared, container.Rootfs, token).ConfigureAwait(false);
                return await CommitAsync(container, [], key, token).ConfigureAwait(false);
            }
        }
        async ValueTask ReleaseAsync()
        {
            prepared.Dispose();
            if (source is not null)
                await source.DisposeAsync().ConfigureAwait(false);
        }
        var keyText = planned.Instruction.Describe();
        var createdBy = Display(planned);
        return new PreparedStep(keyText, [prepared.InputDigest], createdBy, ExecuteAsync, ReleaseAsync);
    }

    public BuildContext Context => _context;

    public Berth.Build.Secrets.SecretStore Secrets => _request.Secrets;

    public string CacheMountRoot => _service.CacheMountRoot;

    public string TempDirectory => TempRoot;

    /// <summary>A <c>from=</c> of a RUN mount, mounted; the caller disposes it.</summary>
    public Task<StepContainer> MountFromAsync(string from, CancellationToken ct) => MountSourceAsync(from, ct);

    /// <summary>Temporary files of this build's steps (downloads, secrets), under the root so they stay on its filesystem.</summary>
    private string TempRoot
    {
        get
        {
            var dir = Path.Combine(Engine.Options.Root, "builds", "tmp");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>
    /// The root filesystem of a <c>--from</c>: a stage (by name or index, already planned as a
    /// dependency) or an image in the store, mounted in a step container the caller disposes.
    /// </summary>
    private async Task<StepContainer> MountSourceAsync(string from, CancellationToken ct)
    {
        var state = await SourceStateAsync(from, ct).ConfigureAwait(false);
        var container = await StepContainer.CreateAsync(Engine, state, StepConfig(state, NoCommand, []), new Model.HostConfig(), ct).ConfigureAwait(false);
        try
        {
            container.Mount();
            return container;
        }
        catch
        {
            await container.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The state a <c>--from</c> names: a stage index or name, else an image in the store.</summary>
    private async Task<BuildState> SourceStateAsync(string from, CancellationToken ct)
    {
        if (from.Length > 0 && from.All(char.IsAsciiDigit) && int.TryParse(from, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < _plan.Stages.Count)
            return await Stage(index).ConfigureAwait(false);
        if (_plan.Find(from) is { } named)
            return await Stage(named.Index).ConfigureAwait(false);
        var image = _base(from) ?? throw BerthException.NotFound($"{from}: no such image in the local store");
        return new BuildState(image.Manifest.Layers, image.Config);
    }
}
