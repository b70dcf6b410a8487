using Berth.Build.Instructions;
using Berth.Build.Planning;
using Berth.Errdefs;

namespace Berth.Engine.Builds;

internal sealed partial class BuildRun
{
    private PreparedStep PrepareWorkdir(BuildState state, PlannedStep planned, WorkdirInstruction workdir) =>
        throw BerthException.FailedPrecondition("WORKDIR");

    private Task<PreparedStep> PrepareCopyAsync(BuildState state, PlannedStage stage, PlannedStep planned, CancellationToken ct) =>
        throw BerthException.FailedPrecondition("COPY");
}
