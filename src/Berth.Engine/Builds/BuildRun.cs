using System.Diagnostics;
using Berth.Build.Cache;
using Berth.Build.Context;
using Berth.Build.Instructions;
using Berth.Build.Planning;
using Berth.Engine.Images;
using Berth.Errdefs;
using Berth.Images.Layers;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Engine.Builds;

/// <summary>
/// One execution of a <see cref="BuildPlan"/>: a task per needed stage (each awaits the stages it
/// reads), the steps of each stage in order, cache lookups, and the step numbering the progress
/// display shows.
/// </summary>
internal sealed partial class BuildRun
{
    private readonly BuildService _service;
    private readonly BuildRequest _request;
    private readonly BuildPlan _plan;
    private readonly BuildContext _context;
    private readonly IBuildProgress _progress;
    private readonly Func<string, ImageInfo?> _base;
    private readonly Task<BuildState>?[] _stages;
    private readonly long _epoch;
    private readonly bool _multiStage;
    private int _stepIds;

    public BuildRun(BuildService service, BuildRequest request, BuildPlan plan, BuildContext context, IBuildProgress progress, Func<string, ImageInfo?> baseImage)
    {
        _service = service;
        _request = request;
        _plan = plan;
        _context = context;
        _progress = progress;
        _base = baseImage;
        _stages = new Task<BuildState>?[plan.Stages.Count];
        _epoch = request.SourceDateEpoch ?? 0;
        _multiStage = plan.Order.Count > 1;
        Created = BuildService.Rfc3339(_epoch);
    }

    /// <summary>The build epoch as RFC 3339: the created time of the image and of its history.</summary>
    public string Created { get; }

    private Engine Engine => _service.Engine;

    private LayerDiffOptions DiffOptions => new() { SourceDateEpoch = DateTimeOffset.FromUnixTimeSeconds(_epoch) };

    public async Task<BuildState> RunAsync(CancellationToken ct)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        foreach (var index in _plan.Order)
            _stages[index] = Task.Run(() => RunStageAsync(_plan.Stages[index], failed.Token), failed.Token);
        try
        {
            return await _stages[_plan.Target]!.ConfigureAwait(false);
        }
        catch
        {
            // The first failure stops the stages still running; wait for them to clean up.
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            foreach (var task in _stages)
            {
                if (task is not null)
                    await ((Task)task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>The result of stage <paramref name="index"/> (it must be one this stage depends on).</summary>
    private Task<BuildState> Stage(int index) =>
        _stages[index] ?? throw BerthException.Internal($"stage {index} was not scheduled");

    private async Task<BuildState> RunStageAsync(PlannedStage stage, CancellationToken ct)
    {
        var fsSteps = stage.Steps.Count(s => IsFilesystemStep(s.Instruction));
        var count = fsSteps + 1;
        var name = stage.Name ?? (_multiStage ? "stage-" + stage.DisplayName : "");
        var position = 1;
        BuildStep Step(string text) => new(Interlocked.Increment(ref _stepIds), name, position, count, text);

        var from = Step(FromText(stage));
        _progress.Started(from);
        var clock = Stopwatch.StartNew();
        BuildState state;
        try
        {
            state = await BaseStateAsync(stage, ct).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            _progress.Failed(from, clock.Elapsed, e.Message);
            throw;
        }
        _progress.Finished(from, clock.Elapsed);
        if (stage.Base.Kind == StageBaseKind.Image && state.Exec.OnBuild is { Count: > 0 })
            state = state.WithExec(state.Exec with { OnBuild = null }); // the triggers run below, and are not inherited

        var cmdSet = false;
        foreach (var planned in stage.Steps)
        {
            ct.ThrowIfCancellationRequested();
            var instruction = planned.Instruction;
            if (!IsFilesystemStep(instruction))
            {
                state = ApplyConfig(state, planned, cmdSet);
                cmdSet |= instruction is CmdInstruction;
                continue;
            }
            position++;
            var step = Step(Display(planned));
            _progress.Started(step);
            clock.Restart();
            try
            {
                state = await FilesystemStepAsync(state, stage, planned, step, ct).ConfigureAwait(false);
                if (instruction is WorkdirInstruction)
                    state = ApplyConfig(state, planned, cmdSet);
            }
            catch (BerthException e)
            {
                _progress.Failed(step, clock.Elapsed, e.Message);
                throw e.Wrap(step.Label);
            }
            catch (OperationCanceledException)
            {
                _progress.Failed(step, clock.Elapsed, "canceled");
                throw;
            }
        }
        return state;
    }

    private static bool IsFilesystemStep(Instruction instruction) =>
        instruction is RunInstruction or CopyInstruction or AddInstruction or WorkdirInstruction;

    private string FromText(PlannedStage stage) => stage.Base.Kind switch
    {
        StageBaseKind.Scratch => "FROM scratch",
        StageBaseKind.Stage => "FROM " + stage.Base.Reference,
        _ => "FROM " + (Oci.References.Reference.TryParse(stage.Base.Reference, out var r) ? (r.Digest is null ? r.WithDefaultTag() : r).ToString() : stage.Base.Reference),
    };

    private static string Display(PlannedStep step)
    {
        var text = string.Join(' ', step.Text.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).Where(l => l.Length > 0 && l != "\\"));
        return step.Trigger ? "ONBUILD " + text : text;
    }

    private async Task<BuildState> BaseStateAsync(PlannedStage stage, CancellationToken ct)
    {
        switch (stage.Base.Kind)
        {
            case StageBaseKind.Scratch:
                return BuildState.Scratch(PlatformOf(stage.Platform));
            case StageBaseKind.Stage:
                return await Stage(stage.Base.StageIndex!.Value).ConfigureAwait(false);
            default:
                var image = _base(stage.Base.Reference)
                    ?? throw BerthException.NotFound($"{stage.Base.Reference}: no such image in the local store");
                return new BuildState(image.Manifest.Layers, image.Config with { Config = image.Config.Config ?? new ContainerConfig() });
        }
    }

    private static Platform PlatformOf(string platform)
    {
        var parts = platform.Split('/');
        return new Platform { Os = parts[0], Architecture = parts.Length > 1 ? parts[1] : "", Variant = parts.Length > 2 && parts[2].Length > 0 ? parts[2] : null };
    }

    private BuildState ApplyConfig(BuildState state, PlannedStep planned, bool cmdSet)
    {
        var instruction = planned.Instruction;
        var onBuild = instruction is OnBuildInstruction ? OnBuildText(planned.Text) : null;
        ImageConfig config;
        try
        {
            config = instruction is WorkdirInstruction w
                ? state.Config with { Config = state.Exec with { WorkingDir = JoinWorkdir(state.Exec.WorkingDir, w.Path) } }
                : ConfigSteps.Apply(state.Config, instruction, cmdSet, onBuild);
        }
        catch (BerthException e)
        {
            throw Berth.Build.Parser.DockerfileError.At(instruction.Position, e.Message);
        }
        var next = state with { Config = config };
        if (instruction is ArgInstruction || instruction is WorkdirInstruction)
            return next;
        return next.Add(new History { Created = Created, CreatedBy = Display(planned), Comment = "berth.build" }, null, null);
    }

    private static string OnBuildText(string original)
    {
        var text = original.TrimStart();
        return text.Length > 7 && text[..7].Equals("ONBUILD", StringComparison.OrdinalIgnoreCase) ? text[7..].Trim() : text;
    }

    /// <summary>docker's WORKDIR: an absolute path replaces, a relative one joins the current; cleaned.</summary>
    public static string JoinWorkdir(string? current, string path)
    {
        var joined = path.StartsWith('/') ? path : (string.IsNullOrEmpty(current) ? "/" : current) + "/" + path;
        return Berth.Linux.Files.RootPath.Clean(joined);
    }

    /// <summary>
    /// A step that may change the filesystem: looked up by its cache key, else run. The key is
    /// the state before it, the instruction after expansion (with the args RUN sees), and the
    /// digests of the inputs it reads.
    /// </summary>
    private async Task<BuildState> FilesystemStepAsync(BuildState state, PlannedStage stage, PlannedStep planned, BuildStep step, CancellationToken ct)
    {
        var prepared = await PrepareAsync(state, stage, planned, ct).ConfigureAwait(false);
        await using var _ = prepared.ConfigureAwait(false);
        var key = CacheKey.For(state.Digest, prepared.KeyText, prepared.Inputs, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["platform"] = stage.Platform,
            ["epoch"] = _epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var history = new History { Created = Created, CreatedBy = prepared.CreatedBy, Comment = "berth.build" };
        var clock = Stopwatch.StartNew();
        if (!_request.NoCache && await _service.Cache.GetAsync(key, ct).ConfigureAwait(false) is { } hit)
        {
            _progress.Cached(step);
            return state.Add(history, hit.Layer, hit.DiffId is null ? null : Digest.Parse(hit.DiffId));
        }
        var layer = await prepared.ExecuteAsync(step, key, ct).ConfigureAwait(false);
        _progress.Finished(step, clock.Elapsed);
        return state.Add(history, layer?.Blob, layer?.DiffId);
    }
}
