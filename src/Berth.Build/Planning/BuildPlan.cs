using Berth.Build.Instructions;
using Berth.Build.Parser;

namespace Berth.Build.Planning;

public enum StageBaseKind
{
    Image,
    Scratch,
    Stage,
}

/// <summary>What a stage starts from: an image reference, <c>scratch</c>, or an earlier stage (by index).</summary>
public sealed record StageBase(StageBaseKind Kind, string Reference, int? StageIndex);

/// <summary>
/// One step of a stage: the instruction with its variables expanded where docker expands them, and
/// the build args in scope when it runs (RUN sees them in its environment). <see cref="Text"/> is
/// the instruction as written (continuations joined), for the progress display; an ONBUILD
/// trigger run from the base image is marked <see cref="Trigger"/>.
/// </summary>
public sealed record PlannedStep(Instruction Instruction, IReadOnlyDictionary<string, string> Args)
{
    public string Text { get; init; } = "";

    public bool Trigger { get; init; }
}

/// <summary>
/// A build stage: its index and lower-cased name (null when unnamed), its base, platform, steps,
/// the stages it needs (its base and <c>--from</c> stages) and the images other than its base that it
/// reads (<c>COPY --from=image</c>, <c>RUN --mount=from=image</c>). Env is the stage's ENV at its
/// end, inherited from a base stage.
/// </summary>
public sealed record PlannedStage(
    int Index,
    string? Name,
    SourcePosition Position,
    StageBase Base,
    string Platform,
    IReadOnlyList<PlannedStep> Steps,
    IReadOnlyList<int> DependsOn,
    IReadOnlyList<string> ImageSources,
    IReadOnlyDictionary<string, string> Env,
    bool Skipped)
{
    /// <summary>The stage's name, or its index when it has none, as docker shows it.</summary>
    public string DisplayName => Name ?? Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A build as data: every stage (those the target does not need marked skipped), the target, the
/// needed stages in a dependency order, the same stages as waves whose members are independent of
/// each other (each wave needs only earlier waves), the global ARGs, and docker's warnings.
/// </summary>
public sealed record BuildPlan(
    IReadOnlyList<PlannedStage> Stages,
    int Target,
    IReadOnlyList<int> Order,
    IReadOnlyList<IReadOnlyList<int>> Waves,
    IReadOnlyDictionary<string, string> MetaArgs,
    IReadOnlyList<string> Warnings)
{
    public PlannedStage TargetStage => Stages[Target];

    public IEnumerable<PlannedStage> Skipped => Stages.Where(s => s.Skipped);

    /// <summary>The stage named <paramref name="name"/> (case-insensitive), or null.</summary>
    public PlannedStage? Find(string name) =>
        Stages.FirstOrDefault(s => s.Name is not null && s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
