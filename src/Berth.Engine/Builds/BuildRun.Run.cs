using System.Text.RegularExpressions;
using Berth.Build.Instructions;
using Berth.Build.Planning;
using Berth.Engine.Model;
using Berth.Engine.Monitor;
using Berth.Errdefs;
using Berth.Images.Mutate;
using Berth.Oci;

namespace Berth.Engine.Builds;

internal sealed partial class BuildRun
{
    /// <summary>
    /// RUN: the command (exec form as given; shell form under the stage's SHELL; a heredoc as the
    /// shell's script) in a container made from the state, with the state's env plus the build
    /// args in scope (ENV wins), its user and workdir. Output streams to the progress display.
    /// A non-zero exit fails the build with docker's message.
    /// </summary>
    private Task<PreparedStep> PrepareRunAsync(BuildState state, PlannedStep planned, RunInstruction run, CancellationToken ct)
    {
        var argv = RunArgv(run, state.Exec.Shell is { Count: > 0 } shell ? shell : ConfigSteps.DefaultShell);
        var env = (state.Exec.Env ?? []).ToList();
        var argEnv = planned.Args.Where(a => !env.Any(e => e.Split('=', 2)[0] == a.Key))
            .OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + a.Value).ToList();
        env.AddRange(argEnv);
        var network = run.Network ?? _request.Network;
        if (network is not ("default" or "none" or "host"))
            throw Berth.Build.Parser.DockerfileError.At(run.Position, $"unsupported network mode: {network}");
        var mounts = RunMounts.Plan(this, run, state);
        var keyText = run.Describe() + " env=" + string.Join('\u0000', argEnv) + " mounts=" + mounts.KeyText;
        var createdBy = "RUN " + (argEnv.Count > 0 ? "|" + argEnv.Count + " " + string.Join(' ', argEnv) + " " : "") + string.Join(' ', argv);

        async Task<NewLayer?> ExecuteAsync(BuildStep step, Digest key, CancellationToken token)
        {
            var host = new HostConfig
            {
                NetworkMode = network,
                Mounts = await mounts.PrepareAsync(token).ConfigureAwait(false),
            };
            var container = await StepContainer.CreateAsync(Engine, state, StepConfig(state, argv, [.. env, .. mounts.SecretEnv]), host, token).ConfigureAwait(false);
            await using (container.ConfigureAwait(false))
            {
                var code = await RunContainerAsync(container, step, token).ConfigureAwait(false);
                if (code != 0)
                    throw BerthException.FailedPrecondition($"process \"{string.Join(' ', argv)}\" did not complete successfully: exit code: {code}");
                return await CommitAsync(container, MountDestinations(container), key, token).ConfigureAwait(false);
            }
        }
        return Task.FromResult(new PreparedStep(keyText, mounts.Inputs, createdBy, ExecuteAsync, mounts.ReleaseAsync));
    }

    /// <summary>The argv of a RUN: a lone heredoc is the shell's script; otherwise the shell gets the line with its heredocs.</summary>
    internal static IReadOnlyList<string> RunArgv(RunInstruction run, IReadOnlyList<string> shell)
    {
        if (!run.Command.PrependShell)
            return run.Command.Args;
        var line = string.Join(' ', run.Command.Args);
        if (run.Heredocs.Count == 0)
            return [.. shell, line];
        if (run.Heredocs.Count == 1 && LoneHeredoc().IsMatch(line.Trim()))
            return [.. shell, run.Heredocs[0].Content];
        var script = new System.Text.StringBuilder(line);
        foreach (var doc in run.Heredocs)
            script.Append('\n').Append(doc.Content).Append(doc.Name);
        return [.. shell, script.ToString()];
    }

    [GeneratedRegex("""^<<-?(["']?)[A-Za-z0-9_]+\1$""")]
    private static partial Regex LoneHeredoc();

    /// <summary>Starts the container attached and returns its exit code; a cancel kills it.</summary>
    private async Task<int> RunContainerAsync(StepContainer container, BuildStep step, CancellationToken ct)
    {
        using var attach = AttachStreams.Create();
        await Engine.Containers.StartAsync(container.Record.Id, attach, ct).ConfigureAwait(false);
        var output = new ProgressStream(_progress, step);
        int? code;
        try
        {
            code = await AttachClient.RunAsync(attach.Connection, new AttachOptions { Stdout = output, Stderr = output, DetachKeys = [] }, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            TryKill(container);
            throw;
        }
        await Engine.Containers.WaitStoppedAsync(container.Record.Id, TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
        return code ?? throw BerthException.Internal("build step container detached");
    }

    private void TryKill(StepContainer container)
    {
        try
        {
            Engine.Containers.Kill(container.Record.Id);
        }
        catch (BerthException)
        {
            // Gone already; removing it follows.
        }
    }

    /// <summary>Where the runtime mounted things in the step's rootfs (from the bundle it ran).</summary>
    private static IReadOnlyList<string> MountDestinations(StepContainer container)
    {
        var bundle = Path.Combine(container.Dir, "bundle");
        if (!File.Exists(Path.Combine(bundle, "config.json")))
            return [];
        var spec = Oci.Runtime.SpecLoader.Load(bundle);
        return spec.Mounts?.Select(m => m.Destination).ToList() ?? [];
    }
}
