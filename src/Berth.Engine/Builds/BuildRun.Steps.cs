using Berth.Build.Instructions;
using Berth.Build.Planning;
using Berth.Engine.Images;
using Berth.Engine.Model;
using Berth.Errdefs;
using Berth.Images.Mutate;
using Berth.Oci;

namespace Berth.Engine.Builds;

internal sealed partial class BuildRun
{
    private Task<PreparedStep> PrepareAsync(BuildState state, PlannedStage stage, PlannedStep planned, CancellationToken ct) => planned.Instruction switch
    {
        RunInstruction run => PrepareRunAsync(state, planned, run, ct),
        WorkdirInstruction workdir => Task.FromResult(PrepareWorkdir(state, planned, workdir)),
        CopyInstruction or AddInstruction => PrepareCopyAsync(state, stage, planned, ct),
        _ => throw BerthException.Internal($"{planned.Instruction.GetType().Name} is not a filesystem step"),
    };

    /// <summary>
    /// Turns a step container's changes into a layer and caches it under <paramref name="key"/>,
    /// both under the store's writer lock, so a collection never sees the blob without the cache
    /// entry that keeps it. Mount stubs the runtime made are removed first. No change, no layer.
    /// </summary>
    private async Task<NewLayer?> CommitAsync(StepContainer container, IReadOnlyList<string> stubs, Digest key, CancellationToken ct)
    {
        container.Unmount();
        MountStubs.Remove(container.Upper, container.Lowers, stubs);
        using var held = await _service.ImageService.WriterLockAsync(ct).ConfigureAwait(false);
        NewLayer? layer = null;
        if (Directory.EnumerateFileSystemEntries(container.Upper).Any())
            layer = (await LayerCommit.WriteAsync(Engine.Images.Content, container.Upper, container.Lowers, DiffOptions, ct).ConfigureAwait(false)).Layer;
        _service.Cache.Put(key, new BuildCacheEntry { Layer = layer?.Blob, DiffId = layer?.DiffId.ToString() });
        return layer;
    }

    /// <summary>The Config of a step's container: the state's user, workdir and env, labelled as a build's.</summary>
    private static Config StepConfig(BuildState state, IReadOnlyList<string> argv, IReadOnlyList<string> env) => new()
    {
        User = state.Exec.User ?? "",
        WorkingDir = string.IsNullOrEmpty(state.Exec.WorkingDir) ? "/" : state.Exec.WorkingDir,
        Env = env,
        Entrypoint = [],
        Cmd = argv,
        AttachStdout = true,
        AttachStderr = true,
        Labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["berth.build"] = "step" },
    };
}
