using Berth.Build.Instructions;
using Berth.Engine.Model;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Engine.Builds;

/// <summary>The mounts of one RUN (<c>--mount=type=cache|bind|tmpfs|secret</c>) as the step's container gets them.</summary>
internal sealed class RunMounts
{
    private RunMounts()
    {
    }

    public string KeyText { get; private init; } = "";

    public IReadOnlyList<Digest> Inputs { get; private init; } = [];

    public static RunMounts Plan(BuildRun run, RunInstruction instruction, BuildState state)
    {
        if (instruction.Mounts.Count > 0)
            throw BerthException.FailedPrecondition("RUN --mount is not wired yet");
        return new RunMounts();
    }

    public Task<IReadOnlyList<MountSpec>?> PrepareAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<MountSpec>?>(null);

    public ValueTask ReleaseAsync() => ValueTask.CompletedTask;
}
